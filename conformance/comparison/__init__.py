"""Comparing outcomes: the deepdiff wrapper, the policy, the expected-failures baseline, the naming
and docs checks.
"""
