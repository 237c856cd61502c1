// Stock @apollo/gateway, as its documentation starts it: ApolloServer over ApolloGateway with the
// supergraph, served by startStandaloneServer. The engine benchmark's reference.
import { readFileSync } from "node:fs";
import { ApolloGateway } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";

const server = new ApolloServer({
  gateway: new ApolloGateway({ supergraphSdl: readFileSync(process.env.SUPERGRAPH_PATH!, "utf8") }),
});
const { url } = await startStandaloneServer(server, {
  listen: { port: Number(process.env.PORT), host: "127.0.0.1" },
});
console.log(`stock gateway listening on ${url}`);
const stop = () => void server.stop().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
