// The monthly report as a Word document (docx): A4 landscape, Times New Roman as the city's documents
// are written, the heading, the summary, then each section's table with its header row repeated on
// every page. Works in the browser and in Node (the bytes, for a Blob or a file).
import {
  AlignmentType,
  Document,
  HeadingLevel,
  Packer,
  PageOrientation,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from "docx";
import { cellText, type MonthReport, type ReportTable } from "./month-report.js";

const FONT = "Times New Roman";
/** Half-points: 13 pt text, 10 pt in tables. */
const TEXT_SIZE = 26;
const TABLE_SIZE = 20;

const text = (value: string, options: { bold?: boolean; size?: number; italics?: boolean } = {}) =>
  new TextRun({ text: value, font: FONT, size: options.size ?? TEXT_SIZE, ...options });

function cell(value: string, options: { header?: boolean; width: number; right?: boolean }) {
  return new TableCell({
    width: { size: options.width, type: WidthType.PERCENTAGE },
    ...(options.header && { shading: { type: ShadingType.CLEAR, fill: "D9E2F3", color: "auto" } }),
    children: [
      new Paragraph({
        alignment: options.right ? AlignmentType.RIGHT : AlignmentType.LEFT,
        children: [text(value, { bold: options.header ?? false, size: TABLE_SIZE })],
      }),
    ],
  });
}

function table(section: ReportTable): Table | Paragraph {
  if (section.rows.length === 0) {
    return new Paragraph({ children: [text(section.empty, { italics: true })] });
  }
  const total = section.widths.reduce((sum, w) => sum + w, 0);
  const widths = section.widths.map((w) => (w / total) * 100);
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({
        tableHeader: true,
        children: section.headers.map((header, i) =>
          cell(header, { header: true, width: widths[i]! }),
        ),
      }),
      ...section.rows.map(
        (row) =>
          new TableRow({
            cantSplit: true,
            children: row.map((value, i) =>
              cell(cellText(value), { width: widths[i]!, right: typeof value === "number" }),
            ),
          }),
      ),
    ],
  });
}

/** The report as a DOCX file's bytes. */
export async function monthReportDocx(report: MonthReport): Promise<Uint8Array> {
  const centred = (value: string, options: { bold?: boolean; size?: number } = {}) =>
    new Paragraph({ alignment: AlignmentType.CENTER, children: [text(value, options)] });
  const document = new Document({
    creator: "Đề án 06 Hải Phòng",
    title: report.title,
    description: `Báo cáo tháng ${report.period}, lập lúc ${report.generatedAt}`,
    sections: [
      {
        properties: {
          page: {
            size: { orientation: PageOrientation.LANDSCAPE },
            margin: { top: 1000, bottom: 1000, left: 1100, right: 1000 },
          },
        },
        children: [
          ...report.heading.map((line) => centred(line, { bold: true })),
          new Paragraph({ children: [] }),
          new Paragraph({
            heading: HeadingLevel.TITLE,
            alignment: AlignmentType.CENTER,
            children: [text(report.title, { bold: true, size: 30 })],
          }),
          ...report.lines.map((line) => centred(line, { size: 24 })),
          new Paragraph({ children: [] }),
          new Paragraph({
            heading: HeadingLevel.HEADING_1,
            children: [text("TÓM TẮT", { bold: true })],
          }),
          ...report.summary.map(
            (line) => new Paragraph({ bullet: { level: 0 }, children: [text(line)] }),
          ),
          ...report.tables.flatMap((section) => [
            new Paragraph({
              heading: HeadingLevel.HEADING_1,
              spacing: { before: 240 },
              children: [text(section.heading, { bold: true })],
            }),
            new Paragraph({ children: [text(section.note, { italics: true, size: 22 })] }),
            table(section),
          ]),
        ],
      },
    ],
  });
  return Packer.pack(document, "uint8array");
}
