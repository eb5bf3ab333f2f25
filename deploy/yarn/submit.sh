#!/usr/bin/env bash
# Submits a review-rnn command to YARN, in cluster mode by default (the driver runs in the ApplicationMaster).
#
#   deploy/yarn/submit.sh [options] -- COMMAND [COMMAND OPTIONS]
#   deploy/yarn/submit.sh --principal rnn@EXAMPLE.COM --keytab /etc/security/keytabs/rnn.keytab --queue ml \
#       -- prepare --config hdfs:///review-rnn/conf/prepare.yaml
#
# Options:
#   --principal P --keytab F  Kerberos: Spark logs in from the keytab and renews HDFS delegation tokens, so runs
#                             longer than the ticket lifetime keep working
#   --queue Q                 YARN queue
#   --deploy-mode M           cluster (default) or client (driver on this host: exit code and driver log here;
#                             deploy/schedule uses client for retrain, see deploy/README.md)
#   --name N                  application name (default: review-rnn COMMAND)
#   --files F[,F...]          extra files for the containers' working directory (e.g. a config read as ./x.yaml)
#   --conf K=V                extra Spark setting; wins over conf/spark-defaults.conf (repeatable)
#   any other spark-submit option goes to spark-submit as given, e.g. --num-executors 4, --driver-memory 4g,
#                             --executor-cores=2, --packages, --verbose
# Needs HADOOP_CONF_DIR (or YARN_CONF_DIR) pointing at the cluster's configuration; see deploy/common.sh for
# SPARK_HOME, REVIEW_RNN_JAR, REVIEW_RNN_CONF_DIR and REVIEW_RNN_DRY_RUN.
set -euo pipefail
# shellcheck source=deploy/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../common.sh"

principal="" keytab="" queue="" mode=cluster name="" files="$RR_CONF_DIR/log4j2.properties"
extra=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --principal) principal=${2:?--principal needs a value}; shift 2 ;;
    --keytab) keytab=${2:?--keytab needs a value}; shift 2 ;;
    --queue) queue=${2:?--queue needs a value}; shift 2 ;;
    --deploy-mode) mode=${2:?--deploy-mode needs a value}; shift 2 ;;
    --name) name=${2:?--name needs a value}; shift 2 ;;
    --files) files="$files,${2:?--files needs a value}"; shift 2 ;;
    --conf) extra+=(--conf "${2:?--conf needs K=V}"); shift 2 ;;
    -h | --help) rr_usage "$0"; exit 0 ;;
    --) shift; break ;;
    *) rr_pass_through "$@"; shift "$RR_TAKEN" ;;
  esac
done
[[ $# -gt 0 ]] || rr_die "no review-rnn command after -- (e.g. -- registry list --registry hdfs:///models/x)"
[[ $mode == cluster || $mode == client ]] || rr_die "--deploy-mode must be cluster or client, was $mode"
if [[ -n $principal || -n $keytab ]]; then
  [[ -n $principal && -n $keytab ]] || rr_die "--principal and --keytab go together"
  [[ -r $keytab ]] || rr_die "keytab $keytab is not readable"
fi
[[ -n ${HADOOP_CONF_DIR:-}${YARN_CONF_DIR:-} || ${REVIEW_RNN_DRY_RUN:-0} == 1 ]] ||
  rr_die "set HADOOP_CONF_DIR (or YARN_CONF_DIR) to the cluster's configuration directory"
rr_require_jar

# --files lands log4j2.properties in every container's working directory; a client-mode driver reads it here.
driver_log4j=log4j2.properties
[[ $mode == client ]] && driver_log4j="$RR_CONF_DIR/log4j2.properties"
rr_conf_args "$driver_log4j" log4j2.properties

args=(--master yarn --deploy-mode "$mode" --class io.reviewrnn.jobs.cli.Main --name "${name:-review-rnn $1}"
  --files "$files")
[[ -n $principal ]] && args+=(--principal "$principal" --keytab "$keytab")
[[ -n $queue ]] && args+=(--queue "$queue")
rr_submit "${args[@]}" "${RR_CONF_ARGS[@]}" ${extra[@]+"${extra[@]}"} ${RR_PASSED[@]+"${RR_PASSED[@]}"} "$RR_JAR" "$@"
