#!/bin/sh
# Generates the float kernels from the double ones at build time (core/pom.xml runs it in generate-sources):
#   gen-float-kernels.sh SOURCE_DIR OUTPUT_DIR
# Every SOURCE_DIR/*.java carrying the line "// float-kernel: generate" gets a Float<Name>.java in OUTPUT_DIR, with
# every double made float except those marked "double/*keep*/", and every generated class name renamed, so the
# generated kernels call each other. The double source is the only one to edit; nothing generated is committed.
set -eu
src=$1
out=$2
mkdir -p "$out"
kernels=$(grep -l '^// float-kernel: generate$' "$src"/*.java | sed 's#.*/##; s#\.java$##' | sort)
[ -n "$kernels" ] || { echo "gen-float-kernels: no '// float-kernel: generate' source in $src" >&2; exit 1; }
renames=""
for k in $kernels; do
  renames="$renames -e s/\\b$k\\b/Float$k/g"
done
for k in $kernels; do
  # shellcheck disable=SC2086 # $renames is a list of sed options
  sed -e 's#double/\*keep\*/#KEEPDOUBLE#g' $renames \
      -e 's/DataType\.DOUBLE/DataType.FLOAT/g' \
      -e 's/asNioDouble/asNioFloat/g' \
      -e 's/DoubleBuffer/FloatBuffer/g' \
      -e 's/\bdouble\b/float/g' \
      -e 's/KEEPDOUBLE/double/g' \
      -e '/^\/\/ float-kernel: generate$/d' \
      -e 's#^package io.reviewrnn.core.model.fast;#// GENERATED at build time from '"$k"'.java by core/src/main/scripts/gen-float-kernels.sh.\npackage io.reviewrnn.core.model.fast;#' \
      "$src/$k.java" > "$out/Float$k.java.tmp"
  mv "$out/Float$k.java.tmp" "$out/Float$k.java"
done
