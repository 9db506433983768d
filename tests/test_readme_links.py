"Every file the README links to or shows is in the repository, so the README reads whole on a fresh clone."
import re, subprocess
from pathlib import Path

ROOT = Path(__file__).parents[1]

def test_readme_links_point_at_committed_files():
    text = (ROOT / 'README.md').read_text()
    targets = {m.split('#')[0] for m in re.findall(r'\]\(([^)\s]+)\)', text)}
    local = sorted(t for t in targets if t and not re.match(r'[a-z]+:', t))
    assert local, "the README links no local files; the pattern no longer matches its links"
    tracked = set(subprocess.run(['git', 'ls-files'], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split())
    in_git = bool(tracked)   # a source tree without git (an sdist) can only check that the files exist
    missing = [t for t in local if not (ROOT / t).exists() or (in_git and t not in tracked and not (ROOT / t).is_dir())]
    assert not missing, f"README links to files that a fresh clone lacks: {missing}"
