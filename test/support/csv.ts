import * as fs from "node:fs"

/**
 * A CSV file's rows as records by column name, split on commas: for the tests' own outputs and tables,
 * whose fields hold no commas or quotes (a file that does needs a real reader, such as src/ssda903/Csv.ts).
 */
export const csvRows = (file: string): Array<Record<string, string>> => {
  const [head, ...lines] = fs.readFileSync(file, "utf8").trimEnd().split("\n")
  const cols = head.split(",")
  return lines.map((l) => Object.fromEntries(l.split(",").map((v, i) => [cols[i], v])))
}
