/** Variable names of an RFC 6570 template, in order, without operators or modifiers. */
export function templateVariables(template: string): string[] {
  const names: string[] = [];
  for (const m of template.matchAll(/\{([^{}]*)\}/g)) {
    const body = m[1]!.replace(/^[+#./;?&=,!@|]/, "");
    for (const spec of body.split(",")) {
      const name = spec.replace(/\*$/, "").replace(/:\d+$/, "").trim();
      if (name && !names.includes(name)) names.push(name);
    }
  }
  return names;
}
