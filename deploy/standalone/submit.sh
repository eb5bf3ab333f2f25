#!/usr/bin/env bash
# Submits a review-rnn command to a Spark standalone master, in client mode by default (the driver runs here,
# so the exit code and the driver log are this process's).
#
#   deploy/standalone/submit.sh --master spark://master:7077 [options] -- COMMAND [COMMAND OPTIONS]
#   deploy/standalone/submit.sh --master spark://10.0.0.5:7077 -- train --config hdfs:///review-rnn/conf/train.yaml
#
# Options:
#   --master URL              spark://host:port (default $SPARK_MASTER_URL)
#   --deploy-mode M           client (default) or cluster (driver on a worker; needs the jar at a path or URL
#                             every worker can read, e.g. REVIEW_RNN_JAR=hdfs:///review-rnn/review-rnn-jobs.jar)
#   --total-executor-cores N  cores for this application across the cluster
#   --name N                  application name (default: review-rnn COMMAND)
#   --conf K=V                extra Spark setting; wins over conf/spark-defaults.conf (repeatable)
#   any other spark-submit option goes to spark-submit as given, e.g. --driver-memory 4g, --executor-cores=2,
#                             --packages G:A:V, --verbose
# Workers must run JDK 17. Executor logs: the worker's work/<app-id>/<executor-id>/stderr (see deploy/README.md).
# See deploy/common.sh for SPARK_HOME, REVIEW_RNN_JAR, REVIEW_RNN_CONF_DIR and REVIEW_RNN_DRY_RUN.
set -euo pipefail
# shellcheck source=deploy/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../common.sh"

master=${SPARK_MASTER_URL:-} mode=client cores="" name=""
extra=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --master) master=${2:?--master needs a value}; shift 2 ;;
    --deploy-mode) mode=${2:?--deploy-mode needs a value}; shift 2 ;;
    --total-executor-cores) cores=${2:?--total-executor-cores needs a value}; shift 2 ;;
    --name) name=${2:?--name needs a value}; shift 2 ;;
    --conf) extra+=(--conf "${2:?--conf needs K=V}"); shift 2 ;;
    -h | --help) rr_usage "$0"; exit 0 ;;
    --) shift; break ;;
    *) rr_pass_through "$@"; shift "$RR_TAKEN" ;;
  esac
done
[[ $# -gt 0 ]] || rr_die "no review-rnn command after --"
[[ $master == spark://* ]] || rr_die "--master must be spark://host:port (or set SPARK_MASTER_URL), was '$master'"
[[ $mode == cluster || $mode == client ]] || rr_die "--deploy-mode must be client or cluster, was $mode"
[[ $mode == cluster ]] || rr_require_jar

# Executors start before --files are fetched, so they keep the workers' own log4j2 configuration.
driver_log4j="$RR_CONF_DIR/log4j2.properties"
[[ $mode == cluster ]] && driver_log4j=""
rr_conf_args "$driver_log4j" ""

args=(--master "$master" --deploy-mode "$mode" --class io.reviewrnn.jobs.cli.Main --name "${name:-review-rnn $1}")
[[ -n $cores ]] && args+=(--total-executor-cores "$cores")
rr_submit "${args[@]}" "${RR_CONF_ARGS[@]}" ${extra[@]+"${extra[@]}"} ${RR_PASSED[@]+"${RR_PASSED[@]}"} "$RR_JAR" "$@"
