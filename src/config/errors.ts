// Configuration errors (DESIGN.md section 6): bad configuration stops start-up with a message that names
// the key and what is wrong. The CLI prints `config error: <message>` and exits with code 2.

export class ConfigError extends Error {
  /**
   * @param key the TOML key (`c2s_port`, `limits.max_stanza_bytes`), or the flag / file name when the
   *   problem is not tied to one key (`--frobnicate`, `config`)
   * @param problem what is wrong, without the key
   * @param source where the bad value came from (`--c2s-port`, `ALMANAC_C2S_PORT`, a file path)
   */
  constructor(
    readonly key: string,
    readonly problem: string,
    readonly source?: string,
  ) {
    super(`${key}: ${problem}${source !== undefined && source !== key ? ` (from ${source})` : ''}`);
    this.name = 'ConfigError';
  }
}
