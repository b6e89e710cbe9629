#!/bin/sh
# Regenerates imports/enterprises.xlsx and every file in imports/samples/
# (see imports/samples/README.md for what each one exercises).
# Needs cargo, LibreOffice (soffice; Debian: libreoffice-calc-nogui) and zip.
# Run from anywhere: imports/make-samples.sh
set -eu

cd "$(dirname "$0")/.."
root=$(pwd)
samples=imports/samples
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# LibreOffice with a throw-away profile, so a running instance or a user's
# settings cannot change the result.
lo() {
    soffice -env:UserInstallation="file://$tmp/profile" --headless "$@" >/dev/null
}

# 1. The blank template, straight from the product.
cargo run -q -- gen template imports/enterprises.xlsx
#    The risk-point import sample (three example points).
cargo run -q -- gen risk-template imports/risk-points.xlsx
#    The 安责险 policy import sample (two example policies).
cargo run -q -- gen insurance-template imports/insurance-policies.xlsx
cargo run -q -- gen denominators-template imports/denominators.xlsx
cargo run -q -- gen indicator-targets-template imports/indicator-targets.xlsx

# 2. LibreOffice files from the UTF-8 CSVs in samples/src.
#    CSV:44,34,76,1,<formats>: comma-separated, "-quoted, UTF-8, from line 1.
#    good-libreoffice: column 14 (标准化定级日期) read as Y/M/D dates (5), column
#    18 (许可证有效期至) kept as text (2); every other column is "standard", so
#    all-digit credit codes, phone numbers, region codes and licence numbers
#    become NUMBER cells, as they do when a clerk opens a CSV.
lo_filter='CSV:44,34,76,1,14/5/18/2'
lo --infilter="$lo_filter" --convert-to xlsx --outdir "$tmp" "$samples/src/good-libreoffice.csv"
lo --infilter="$lo_filter" --convert-to xls --outdir "$tmp" "$samples/src/good-libreoffice.csv"
#    good-v1: default detection (ISO dates become date cells).
lo --infilter='CSV:44,34,76,1' --convert-to xlsx --outdir "$tmp" "$samples/src/good-v1.csv"
cp "$tmp/good-libreoffice.xlsx" "$samples/good-libreoffice.xlsx"
cp "$tmp/good-libreoffice.xls" "$samples/legacy.xls"
cp "$tmp/good-v1.xlsx" "$samples/good-v1.xlsx"

# 3. rust_xlsxwriter files, written by imports/samples/generate.rs through the
#    API test binary (which include_bytes! them: make sure they exist first).
for f in good-rust_xlsxwriter.xlsx bad-every-error.xlsx bad-every-error.xls absurd-dimension.xlsx \
    malformed-truncated.xlsx not-a-spreadsheet.xlsx word-document.xlsx; do
    [ -e "$samples/$f" ] || : >"$samples/$f"
done
cargo test -q --test api -- --ignored --exact import::cli::regenerate_rust_xlsxwriter_samples
#    The bad file once more as .xls, saved by LibreOffice: same rows, same errors.
lo --convert-to xls --outdir "$tmp" "$samples/bad-every-error.xlsx"
cp "$tmp/bad-every-error.xls" "$samples/bad-every-error.xls"

# 4. Broken uploads.
#    A real workbook cut in half (the zip's central directory is lost).
size=$(wc -c <"$samples/good-rust_xlsxwriter.xlsx")
head -c $((size / 2)) "$samples/good-rust_xlsxwriter.xlsx" >"$samples/malformed-truncated.xlsx"
#    A text file renamed to .xlsx.
printf '统一社会信用代码,企业名称\n91420103MA4K000017,江汉宏达化工有限公司\n' >"$samples/not-a-spreadsheet.xlsx"
#    A Word document renamed to .xlsx: a valid zip without xl/workbook.xml.
mkdir -p "$tmp/docx/word" "$tmp/docx/_rels"
cat >"$tmp/docx/[Content_Types].xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>
EOF
cat >"$tmp/docx/_rels/.rels" <<'EOF'
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>
EOF
cat >"$tmp/docx/word/document.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>企业名录（请见附件）</w:t></w:r></w:p></w:body></w:document>
EOF
rm -f "$samples/word-document.xlsx"
(cd "$tmp/docx" && zip -q -X -r "$root/$samples/word-document.xlsx" '[Content_Types].xml' _rels word)

# 5. The rust_xlsxwriter samples are stable; rebuild the tests against the new files.
cargo test -q --test api import::cli::committed_samples_match_their_generator_and_stay_small
ls -l imports/enterprises.xlsx "$samples"
