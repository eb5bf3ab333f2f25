#!/usr/bin/python3
"""Where a JVM's CPU went, from a JFR recording (-XX:StartFlightRecording=filename=F,settings=profile):
the hottest methods (self and inclusive) over all threads, and the driver thread's phases in time order (the
innermost io.reviewrnn method of each sample; consecutive samples of one method make one phase).
Usage: jfr_top.py RECORDING.jfr [N]"""
import collections
import re
import subprocess
import sys

path, top_n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 15
text = subprocess.run(['jfr', 'print', '--events', 'jdk.ExecutionSample', '--stack-depth', '200', path],
                      check=True, capture_output=True, text=True).stdout
samples = []
for event in text.split('jdk.ExecutionSample {')[1:]:
    start = re.search(r'startTime = (\S+)', event).group(1)
    thread = re.search(r'sampledThread = "([^"]*)"', event)
    stack = re.search(r'stackTrace = \[(.*?)\n\s*\]', event, re.S)
    frames = [re.sub(r'\s+line:.*', '', f.strip()) for f in stack.group(1).strip().split('\n')
              if f.strip() and f.strip() != '...'] if stack else []
    samples.append((start, thread.group(1) if thread else '?', frames))
samples.sort()
self_time, inclusive = collections.Counter(), collections.Counter()
for _, _, frames in samples:
    if frames:
        self_time[frames[0]] += 1
    inclusive.update(set(frames))
n = max(1, len(samples))
print(f'{len(samples)} samples')
print('self:')
for f, c in self_time.most_common(top_n):
    print(f'  {100 * c / n:5.1f}%  {f}')
print('inclusive (io.reviewrnn):')
for f, c in [(f, c) for f, c in inclusive.most_common() if f.startswith('io.reviewrnn')][:top_n]:
    print(f'  {100 * c / n:5.1f}%  {f}')
print('driver thread (main) phases: first sample, samples, innermost io.reviewrnn method')
phase, first, count = None, None, 0
for start, thread, frames in samples:
    if thread != 'main':
        continue
    ours = next((f for f in frames if f.startswith('io.reviewrnn')), '-')
    name = re.sub(r'\(.*', '', ours)
    if name != phase:
        if phase is not None:
            print(f'  {first}  {count:4d}  {phase}')
        phase, first, count = name, start[:12], 0
    count += 1
if phase is not None:
    print(f'  {first}  {count:4d}  {phase}')
