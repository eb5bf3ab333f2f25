#!/usr/bin/python3
"""Summarises a Spark event log: per stage wall time, task run time, task CPU time and GC, so CPU cost can be
told apart from waiting on a busy machine. Usage: spark_stages.py EVENT_LOG_FILE"""
import collections
import json
import sys

stages, tasks = {}, collections.defaultdict(collections.Counter)
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e['Event'] == 'SparkListenerStageCompleted':
        si = e['Stage Info']
        stages[si['Stage ID']] = (si['Stage Name'][:50], (si['Completion Time'] - si['Submission Time']) / 1000,
                                  si['Number of Tasks'])
    elif e['Event'] == 'SparkListenerTaskEnd' and e.get('Task Metrics'):
        m, c = e['Task Metrics'], tasks[e['Stage ID']]
        c['run'] += m['Executor Run Time'] / 1000
        c['cpu'] += m['Executor CPU Time'] / 1e9
        c['gc'] += m['JVM GC Time'] / 1000
tot = collections.Counter()
for sid in sorted(stages):
    name, wall, n = stages[sid]
    c = tasks[sid]
    tot['wall'] += wall
    tot.update(c)
    print(f"stage {sid:3d} {wall:6.2f}s wall  tasks {n:3d}  run {c['run']:6.1f}s  cpu {c['cpu']:6.2f}s  gc {c['gc']:5.2f}s  {name}")
print(f"total       {tot['wall']:6.2f}s wall             run {tot['run']:6.1f}s  cpu {tot['cpu']:6.2f}s  gc {tot['gc']:5.2f}s")
