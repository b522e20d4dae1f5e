"""The maintainers' scripts, run from the repository's root as `python -m scripts.NAME`.

They are not part of the `course_utils` wheel. scripts.repo names the repository's folders and
public addresses once for all of them and for the tests.
"""
