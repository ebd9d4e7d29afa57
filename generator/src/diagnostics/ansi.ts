/** The few ANSI styles the text renderer uses; identity functions when colour is off. */
export interface Palette {
  error(s: string): string;
  warning(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
  hint(s: string): string;
  gutter(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => (s === '' ? s : `\u001b[${open}m${s}\u001b[${close}m`);

const colored: Palette = {
  error: wrap(31, 39),
  warning: wrap(33, 39),
  bold: wrap(1, 22),
  dim: wrap(2, 22),
  hint: wrap(36, 39),
  gutter: wrap(90, 39),
};

const plain: Palette = {
  error: (s) => s,
  warning: (s) => s,
  bold: (s) => s,
  dim: (s) => s,
  hint: (s) => s,
  gutter: (s) => s,
};

export function palette(color: boolean): Palette {
  return color ? colored : plain;
}
