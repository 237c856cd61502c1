// The IOC's dashboard, bundled by Vite into dist/ (served by the gateway at /). Each page is its own
// chunk, so the overview loads neither the charts nor the spreadsheet writer.
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [react()],
  base: "/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // the gateway serves these files; no source maps sent to wall screens
    sourcemap: false,
    // the monthly report's XLSX writer (exceljs, ~930 kB) is its own chunk, loaded only on its download
    chunkSizeWarningLimit: 1000,
  },
  server: {
    // `npx vite` in gateway/web for development against a running gateway
    proxy: { "/graphql": "http://127.0.0.1:4000" },
  },
});
