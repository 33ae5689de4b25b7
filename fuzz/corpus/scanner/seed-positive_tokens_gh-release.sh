positive/tokens/gh-release.sh
#!/usr/bin/env bash
# publish release notes
export GITHUB_TOKEN=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
gh release create "v$1" --notes-file CHANGELOG.md
