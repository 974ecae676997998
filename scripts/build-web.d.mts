export declare const buildWeb: (outdir?: string) => Promise<{ readonly file: string; readonly bytes: number }>
export declare const currentWeb: (outdir?: string) => { readonly file: string; readonly bytes: number } | null
export declare const digestOf: (files: ReadonlyArray<string>) => string | null
