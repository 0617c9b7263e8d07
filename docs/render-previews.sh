#!/usr/bin/env bash
# Regenerate the previews in docs/ from the shipped article: build every
# edition with its PDF (bilingual build --pdf), then render the first page of
# each, the page of the second kicker (肩题, 制度创新) in each, and the first page of
# the bilingual table layout, and the first page of the zh and en editions in the
# newspaper look (build --look newspaper).
# Needs: soffice (libreoffice-writer-nogui), fonts-noto-cjk, fonts-liberation2,
# fonts-arphic-ukai, pdftoppm and pdftotext (poppler-utils).
set -euo pipefail
cd "$(dirname "$0")/.."
article=changsha-opening-up
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bilingual build "$article" --edition all --pdf --out "$tmp"
bilingual build "$article" --edition bilingual --layout table --pdf --out "$tmp/table"
bilingual build "$article" --edition all --look newspaper --pdf --out "$tmp/newspaper"

page() {  # page(pdf, png, number)
    pdftoppm -png -r 80 -f "$3" -l "$3" -singlefile "$1" "$2"
}
first_page_with() {  # first_page_with(pdf, text)
    local pages n
    pages=$(pdfinfo "$1" | sed -n 's/^Pages: *//p')
    for n in $(seq 1 "$pages"); do
        if pdftotext -f "$n" -l "$n" "$1" - | tr -d " " | grep -qxF "$2"; then echo "$n"; return; fi
    done
    echo 1
}
for edition in zh en bilingual; do
    page "$tmp/$article.$edition.pdf" "docs/$article.$edition" 1
done
page "$tmp/$article.zh.pdf" "docs/$article.zh.kicker" "$(first_page_with "$tmp/$article.zh.pdf" 制度创新)"
page "$tmp/$article.en.pdf" "docs/$article.en.kicker" "$(first_page_with "$tmp/$article.en.pdf" InstitutionalInnovation)"
page "$tmp/$article.bilingual.pdf" "docs/$article.bilingual.kicker" \
    "$(first_page_with "$tmp/$article.bilingual.pdf" 制度创新)"
page "$tmp/table/$article.bilingual.pdf" "docs/$article.bilingual-table" 1
for edition in zh en; do
    page "$tmp/newspaper/$article.$edition.pdf" "docs/$article.$edition.newspaper" 1
done
ls -l docs/*.png
