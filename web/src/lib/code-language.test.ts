import { describe, expect, it } from 'vitest';
import { codeLanguage } from './code-language.ts';

describe('codeLanguage', () => {
  it('names the grammar from the extension, whatever its case and folder', () => {
    expect(codeLanguage('src/app.tsx')).toBe('typescript');
    expect(codeLanguage('lib/Main.PY')).toBe('python');
    expect(codeLanguage('Cargo.toml')).toBe('ini');
    expect(codeLanguage('a.b/c.rs')).toBe('rust');
  });

  it('knows files by name, and leaves the rest to plain text', () => {
    expect(codeLanguage('Makefile')).toBe('makefile');
    expect(codeLanguage('sub/.bashrc')).toBe('bash');
    expect(codeLanguage('LICENSE')).toBeNull();
    expect(codeLanguage('.env')).toBeNull();
    expect(codeLanguage('data.bin')).toBeNull();
  });
});
