"""The verify stage: task verifiers (a registry), trace lints, a bubblewrap sandbox for code, verdicts.

from pipeline.verify import verify_items, Item, TaskSpec
verdicts = verify_items([Item(TaskSpec("t1", "math", "3/4"), "<think>..</think>\\n\\\\boxed{0.75}", "think")])
"""

from pipeline.verify.judge import Item, Verdict, judge
from pipeline.verify.registry import ENTRY_POINT_GROUP, Registry
from pipeline.verify.result import CheckResult, TaskSpec
from pipeline.verify.runner import verify_items

__all__ = ["ENTRY_POINT_GROUP", "CheckResult", "Item", "Registry", "TaskSpec", "Verdict", "judge", "verify_items"]
