"""Who may download an uploaded file. Each app registers the folder it uploads into.

A checker gets (user, relative_path) and returns True to serve the file. A path
no checker claims is not served. Out-of-scope files answer 404, like objects.
"""
_checkers = []


def register_media_prefix(prefix, checker):
    _checkers.append((prefix, checker))


def may_download(user, path):
    for prefix, checker in _checkers:
        if path.startswith(prefix):
            return bool(checker(user, path))
    return False
