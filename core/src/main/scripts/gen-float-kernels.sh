#!/bin/sh
# Generates the float kernels (Float*Kernel.java) from the double ones. The double source is the one to edit;
# run this afterwards from the repository root and commit both. "double/*keep*/" marks doubles that must stay.
set -eu
dir=core/src/main/java/io/reviewrnn/core/model/fast
for k in RecurrentKernel LstmKernel GruKernel SimpleRnnKernel; do
  sed -e 's#double/\*keep\*/#KEEPDOUBLE#g' \
      -e 's/\bRecurrentKernel\b/FloatRecurrentKernel/g' \
      -e 's/\bLstmKernel\b/FloatLstmKernel/g' \
      -e 's/\bGruKernel\b/FloatGruKernel/g' \
      -e 's/\bSimpleRnnKernel\b/FloatSimpleRnnKernel/g' \
      -e 's/DataType\.DOUBLE/DataType.FLOAT/g' \
      -e 's/asNioDouble/asNioFloat/g' \
      -e 's/DoubleBuffer/FloatBuffer/g' \
      -e 's/\bdouble\b/float/g' \
      -e 's/KEEPDOUBLE/double/g' \
      -e 's#^package io.reviewrnn.core.model.fast;#// GENERATED from '"$k"'.java by core/src/main/scripts/gen-float-kernels.sh: do not edit.\npackage io.reviewrnn.core.model.fast;#' \
      "$dir/$k.java" > "$dir/Float$k.java"
done
