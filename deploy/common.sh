#!/usr/bin/env bash
# Shared by the deploy scripts (sourced, not run). It turns conf/spark-defaults.conf, the one place for common
# Spark flags, into --conf arguments, finds the job jar and spark-submit, and runs or prints the command.
#
# Environment:
#   SPARK_HOME             spark-submit is $SPARK_HOME/bin/spark-submit (else spark-submit on PATH)
#   REVIEW_RNN_JAR         job jar (default: jobs/target/review-rnn-jobs.jar; build: ./mvnw -pl jobs -am package -DskipTests)
#   REVIEW_RNN_CONF_DIR    directory with spark-defaults.conf and log4j2.properties (default: conf/)
#   REVIEW_RNN_DRY_RUN=1   print the spark-submit command instead of running it (no cluster needed)

RR_DEPLOY_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RR_ROOT=$(cd "$RR_DEPLOY_DIR/.." && pwd)
RR_CONF_DIR=${REVIEW_RNN_CONF_DIR:-$RR_ROOT/conf}
RR_JAR=${REVIEW_RNN_JAR:-$RR_ROOT/jobs/target/review-rnn-jobs.jar}
RR_SPARK_SUBMIT=${SPARK_HOME:+$SPARK_HOME/bin/}spark-submit

# rr_conf_args DRIVER_LOG4J EXECUTOR_LOG4J: sets RR_CONF_ARGS to one --conf per setting of spark-defaults.conf.
# The driver's and the executors' extraJavaOptions also get -Dlog4j2.configurationFile=<path as that JVM sees
# it>; an empty path leaves that JVM on the cluster's own log4j2 configuration.
rr_conf_args() {
  local driver_log4j=$1 executor_log4j=$2 line key value
  local file="$RR_CONF_DIR/spark-defaults.conf"
  [[ -f $file ]] || rr_die "missing $file"
  RR_CONF_ARGS=()
  while IFS= read -r line || [[ -n $line ]]; do
    [[ $line =~ ^[[:space:]]*(#|$) ]] && continue
    key=${line%%[[:space:]]*}
    value=${line#"$key"}
    value=${value#"${value%%[![:space:]]*}"}
    case $key in
      spark.driver.extraJavaOptions) [[ -z $driver_log4j ]] || value="$value -Dlog4j2.configurationFile=$driver_log4j" ;;
      spark.executor.extraJavaOptions) [[ -z $executor_log4j ]] || value="$value -Dlog4j2.configurationFile=$executor_log4j" ;;
    esac
    RR_CONF_ARGS+=(--conf "$key=$value")
  done <"$file"
}

# rr_usage SCRIPT: prints the script's header comment.
rr_usage() {
  sed -n '2,/^set -euo pipefail/p' "$1" | sed '$d; s/^# \{0,1\}//'
}

# rr_pass_through ARGS...: moves one spark-submit option that the calling script does not handle itself from the front
# of ARGS to RR_PASSED (--num-executors 4, --driver-memory=4g, --verbose, --packages ...), and sets RR_TAKEN to the
# number of words it took, for the caller's shift. spark-submit itself checks the option.
RR_PASSED=()
# shellcheck disable=SC2034 # RR_TAKEN is read by the calling script
rr_pass_through() {
  case $1 in
    -v | --verbose | --supervise) RR_PASSED+=("$1"); RR_TAKEN=1 ;;
    --?*=*) RR_PASSED+=("$1"); RR_TAKEN=1 ;;
    --?*)
      [[ $# -ge 2 && $2 != -- ]] || rr_die "$1 needs a value"
      RR_PASSED+=("$1" "$2"); RR_TAKEN=2 ;;
    *) rr_die "unexpected argument '$1' (spark-submit options go before --, the review-rnn command after it)" ;;
  esac
}

rr_die() {
  echo "review-rnn deploy: $*" >&2
  exit 2
}

# rr_require_jar: the job jar must exist locally (not for images that carry it, see deploy/k8s).
rr_require_jar() {
  [[ -f $RR_JAR ]] || rr_die "job jar $RR_JAR not found; build it with ./mvnw -pl jobs -am package -DskipTests"
}

# rr_submit ARGS...: runs spark-submit with ARGS, or prints it (one argument per line) when REVIEW_RNN_DRY_RUN=1.
rr_submit() {
  if [[ ${REVIEW_RNN_DRY_RUN:-0} == 1 ]]; then
    printf '%s\n' "$RR_SPARK_SUBMIT" "$@"
    return 0
  fi
  exec "$RR_SPARK_SUBMIT" "$@"
}
