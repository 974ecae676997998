/**
 * `write-excel-file/node` in the page (the web build maps it here): the library's browser build, with the
 * one method report/render/Xlsx.ts calls, `toBuffer()`, made from its Blob. The workbook's cells are the same.
 */
import writeXlsxFileInBrowser from "write-excel-file/browser"

type Args = Parameters<typeof writeXlsxFileInBrowser>

const writeXlsxFile = (...args: Args) => {
  const out = writeXlsxFileInBrowser(...args)
  return { toBuffer: async (): Promise<Uint8Array> => new Uint8Array(await (await out.toBlob()).arrayBuffer()) }
}

export default writeXlsxFile
