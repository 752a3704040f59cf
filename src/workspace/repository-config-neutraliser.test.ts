import { describe, expect, it } from 'vitest';
import { neutraliseRepositoryConfig } from './repository-config-neutraliser.ts';

describe('neutraliseRepositoryConfig', () => {
  it('gives every program a repository names per driver a harmless value, keeping the subsection’s case', () => {
    const listing = [
      'core.bare\nfalse',
      'filter.LFS.clean\ngit-lfs clean -- %f',
      'filter.LFS.smudge\ngit-lfs smudge -- %f',
      'filter.LFS.required\ntrue',
      'filter.x.process\nrun-me',
      'diff.evil.textconv\nrun-me',
      'diff.tool.command\nrun-me',
      'diff.external\nrun-me',
      'merge.ours.driver\nrun-me %A',
      'pager.log\nrun-me',
      'credential.https://example.com.helper\nrun-me',
      'submodule.Vendor Lib.url\nhttps://example.com/lib.git',
      'user.name\nAna',
      '',
    ].join('\0');
    expect(neutraliseRepositoryConfig(listing)).toEqual({
      pairs: [
        ['filter.LFS.clean', ''],
        ['filter.LFS.smudge', ''],
        ['filter.LFS.required', 'false'],
        ['filter.x.process', ''],
        ['diff.evil.textconv', 'cat'],
        ['diff.tool.command', ''],
        ['diff.external', ''],
        ['merge.ours.driver', 'false'],
        ['pager.log', 'false'],
        ['credential.https://example.com.helper', ''],
        ['submodule.Vendor Lib.ignore', 'all'],
      ],
      filterDrivers: ['LFS', 'x'],
    });
  });
});
