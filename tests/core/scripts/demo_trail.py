"""Run by ``manage.py shell -c`` after ``seed_demo``: every state the demo reached went through its transition
function (see ``tests/demo_trail.py``). Prints the first untraced rows, then ``UNTRACED <n>``."""

from tests.demo_trail import untraced

problems = untraced()
print("\n".join(problems[:20]))
print(f"UNTRACED {len(problems)}")
