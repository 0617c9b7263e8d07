#!/usr/bin/env bash
# Regenerate the first-page previews in docs/ from the shipped article:
# build the three editions, convert them with LibreOffice, render page 1.
# Needs: soffice (libreoffice-writer-nogui), fonts-noto-cjk, pdftoppm (poppler-utils).
set -euo pipefail
cd "$(dirname "$0")/.."
article=changsha-opening-up
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bilingual build "$article" --edition all --out "$tmp"
timeout 300 soffice --headless --norestore "-env:UserInstallation=file://$tmp/profile" \
    --convert-to pdf --outdir "$tmp" "$tmp/$article".*.docx >/dev/null
for edition in zh en bilingual; do
    pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$tmp/$article.$edition.pdf" "docs/$article.$edition"
done
ls -l docs/*.png
