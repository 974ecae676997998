export declare const buildWeb: (outdir?: string) => Promise<{ readonly file: string; readonly bytes: number }>
