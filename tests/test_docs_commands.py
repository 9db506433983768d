"""Every `padis ...` command line in README.md and in the markdown cells of nbs/*.ipynb runs.

A command is taken from fenced code blocks (lines starting with `padis `, `\\` continuations joined, `# comments`
dropped) and from inline code spans; `padis --help` and `padis --version` must exit 0. A span that only names a
command or an option (`padis train`, `padis sample --prior`, `padis reconstruct --samples K`, `padis bench ...`) is a
*reference*: its command and options must exist in `padis <command> -h`. Every other one is *run* through the CLI, in a
temporary folder per document, in document order
(so `padis sample --prior runs/tiny/...` finds the run the `padis train` before it wrote), with a small budget:

* train:       --steps 2 --n_train 4 --pixels_per_step 2048 (documented runs take minutes to hours);
* sample:      --n 1 --steps 2;
* reconstruct: --steps 2, --samples at most 2, --tv_iters 20 (TV needs up to thousands of iterations);
* bench:       --quick --dry_run (even `--quick` measures for minutes on 2 cores: memory 1.5 min, stitching a 1024 x 1024
               image, table several sections; the dry run checks the arguments and the output path and prints the plan;
               tests/test_bench.py runs `benchmarks/table.py --quick` for real);
* demo:        --steps is not an option of demo; it runs as documented (none is documented now);
* every command runs with OMP_NUM_THREADS=1 and gets --quiet, and all but train get --overwrite (commands of one
  document may reuse an output name).

Files a command reads are made first: an input image of `padis reconstruct` that does not exist is a copy of the bundled
test image of the task's domain, a `--data` folder of `padis train` gets two images of the command's size and channels,
a path that exists relative to the repository (`data/ct_test.png`) is given absolutely, and an absolute output path
outside the repository (`/tmp/t.json`) is moved into the temporary folder. Commands already run for an earlier document
(README.md repeats nbs/index.ipynb) are not run again, except a `padis train` whose run folder a later command of the
same document reads;
which those are is decided from the documents' order, not from which test ran first, so the tests may run in parallel.
"""
import json, os, re, shlex, shutil, subprocess, sys
from pathlib import Path
import numpy as np
import pytest

REPO = Path(__file__).parents[1]
PADIS = str(Path(sys.executable).parent / 'padis')
DATA = REPO / 'data'
SUBCOMMANDS = ('train', 'sample', 'reconstruct', 'demo', 'bench')

# ---------------------------------------------------------------- extraction

def fenced_commands(md):
    "`padis ...` lines of the fenced code blocks in `md`, continuations joined, comments dropped; and `md` without the blocks."
    cmds = []
    def take(m):
        lines, cur = [], ''
        for line in m.group(1).splitlines():
            if line.rstrip().endswith('\\'): cur += line.rstrip()[:-1] + ' '; continue
            lines.append(cur + line); cur = ''
        if cur: lines.append(cur)
        for line in lines:
            line = re.sub(r'^\s*\$\s+', '', line).strip()
            if line.startswith('padis '): cmds.append(' '.join(shlex.split(line, comments=True)))
        return '\n'
    rest = re.sub(r'^ {0,3}(?:```|~~~)[^\n]*\n(.*?)^ {0,3}(?:```|~~~)\s*$', take, md, flags=re.S | re.M)
    return cmds, rest

def extract(md):
    "Every `padis ...` command line of a Markdown text, in order: fenced blocks first, then inline code spans."
    cmds, rest = fenced_commands(md)
    spans = [' '.join(shlex.split(s, comments=True)) for s in re.findall(r'(?<!`)`(padis [^`\n]+)`(?!`)', rest)]
    return cmds + spans

def documents():
    "(name, markdown) for README.md and each notebook's markdown cells."
    docs = [('README.md', (REPO / 'README.md').read_text())]
    for nb in sorted((REPO / 'nbs').glob('*.ipynb')):
        cells = json.loads(nb.read_text())['cells']
        docs.append((f'nbs/{nb.name}', '\n\n'.join(''.join(c['source']) for c in cells if c['cell_type'] == 'markdown')))
    return docs

DOCS = [(name, extract(md)) for name, md in documents()]

def test_extraction_rules():
    md = ("Run `padis sample --out a.png --n 2` or just `padis train`.\n\n```bash\n"
          "padis reconstruct image.png --task ct \\\n    --views 8 --out rec.png   # a comment\n"
          "$ padis bench memory --out m.json\nls -l\n```\n")
    assert extract(md) == ['padis reconstruct image.png --task ct --views 8 --out rec.png', 'padis bench memory --out m.json',
                           'padis sample --out a.png --n 2', 'padis train']

def test_documents_have_commands():
    "The extraction finds the documented commands (so the test below cannot pass on nothing)."
    found = {name: cmds for name, cmds in DOCS}
    assert any(c.startswith('padis train --out runs/mine') for c in found['README.md']), found['README.md']
    assert 'padis sample --out fixed.png --prior ct128 --denoiser fixed' in found['nbs/06_stitching.ipynb']
    assert sum(len(c) for c in found.values()) >= 20

# ---------------------------------------------------------------- references vs commands

_help = {}
def options(sub):
    "{'--option': takes_a_value} from `padis <sub> -h`."
    if sub not in _help:
        r = subprocess.run([PADIS, sub, '-h'], capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, f"padis {sub} -h failed: {r.stderr[-500:]}"
        usage = r.stdout.split('\n\n')[0]
        _help[sub] = {m.group(1): bool(m.group(2)) for m in re.finditer(r'\[(--\w+)( [A-Z_]+)?\]', usage)}
    return _help[sub]

def has_placeholder(tokens):
    "`...`, `<subcommand>`, `{a,b}`, `K`, `FILE`, `--seed seed`: a span that shows the form of a command, not one to run."
    return any(t in ('...', '…') or re.search(r'[<>|{}\[\]]', t) or re.fullmatch(r'[A-Z][A-Z_]*', t)
               or (i and tokens[i - 1].startswith('--') and tokens[i - 1][2:].lower() == t.lower()) for i, t in enumerate(tokens))

def is_reference(tokens):
    "A span that names a command or an option without being a whole command line."
    if has_placeholder(tokens) or len(tokens) <= 2: return True
    opts = options(tokens[1])
    return any(t in opts and opts[t] and (i + 1 == len(tokens) or tokens[i + 1].startswith('--')) for i, t in enumerate(tokens))

def check_reference(tokens, cmd):
    if has_placeholder(tokens[1:2]): return                                  # `padis <subcommand>`
    unknown = [t for t in tokens[2:] if t.startswith('--') and t not in options(tokens[1])]
    assert not unknown, f"documented command {cmd!r}: padis {tokens[1]} has no option {unknown}"

# ---------------------------------------------------------------- shortening and inputs

def _set(tokens, opt, value=None):
    "Set `opt` (to `value`, or as a flag) in the token list."
    if opt in tokens:
        if value is not None: tokens[tokens.index(opt) + 1] = value
    else: tokens += [opt] if value is None else [opt, value]

def _get(tokens, opt, default=None):
    return tokens[tokens.index(opt) + 1] if opt in tokens else default

def _positionals(tokens):
    "Positional arguments after the subcommand (tokens not an option or an option's value)."
    opts, out, i = options(tokens[1]), [], 2
    while i < len(tokens):
        if tokens[i].startswith('--'): i += 2 if opts.get(tokens[i]) else 1
        else: out.append(i); i += 1
    return out

def _write_images(folder, n, size, channels):
    import matplotlib.image as mpimg
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    for i in range(n):
        a = rng.random((size, size, 3) if channels == 3 else (size, size))
        mpimg.imsave(folder / f'{i}.png', a, cmap='gray', vmin=0, vmax=1)

def prepare(tokens, tmp):
    "The shortened token list to run in `tmp`, after making the files it reads."
    t = list(tokens); sub = t[1]
    for i in range(2, len(t)):
        if t[i].startswith('/') and not t[i].startswith(str(REPO)): t[i] = str(tmp / Path(t[i]).name)   # /tmp/t.json
        elif (not t[i].startswith('--') and t[i - 1] not in ('--out', '--json') and not (tmp / t[i]).exists()
              and (REPO / t[i]).is_file()): t[i] = str(REPO / t[i])                                   # an input, never an output
    if sub == 'train':
        _set(t, '--steps', '2'); _set(t, '--n_train', '4'); _set(t, '--pixels_per_step', '2048')
        data = _get(t, '--data', 'ct')
        if data not in ('ct', 'natural') and not (tmp / data).exists():
            _write_images(tmp / data, 2, int(_get(t, '--image_size', 128)), int(_get(t, '--channels', 1)))
    elif sub == 'sample': _set(t, '--n', '1'); _set(t, '--steps', '2')
    elif sub == 'reconstruct':
        _set(t, '--steps', '2'); _set(t, '--tv_iters', '20')
        if int(_get(t, '--samples', 1)) > 2: _set(t, '--samples', '2')
        for i in _positionals(t):
            if not Path(t[i]).is_absolute() and not (tmp / t[i]).exists():
                natural = _get(t, '--task', 'ct') in ('deblur', 'sr', 'denoise')
                (tmp / t[i]).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(DATA / ('natural_test.png' if natural else 'ct_test.png'), tmp / t[i])
    elif sub == 'bench': _set(t, '--quick'); _set(t, '--dry_run')
    if sub != 'train': _set(t, '--overwrite')
    _set(t, '--quiet')
    return t

# ---------------------------------------------------------------- the test

# one torch thread: the shortened commands are many tiny ops, and two threads spinning on a busy 2-core machine made a
# 2-step training 8x slower
ENV = {**os.environ, 'OMP_NUM_THREADS': '1'}

def reads_run(train_tokens, later):
    "Whether a later command names the run folder (`--out`) of this `padis train`."
    out = _get(train_tokens, '--out')
    return bool(out) and any(out.rstrip('/') in c for c in later)

def run_documented(cmds, tmp, ran):
    "Check the references and run the commands of one document in `tmp`; returns the failures, each naming its command."
    failures = []
    for i, cmd in enumerate(cmds):
        tokens = shlex.split(cmd)
        if tokens[1] in ('-h', '--help', '--version'):                  # `padis --help`, `padis --version`
            r = subprocess.run([PADIS, *tokens[1:]], capture_output=True, text=True, cwd=tmp, timeout=120)
            if r.returncode != 0: failures.append(f"{cmd}\n  exit {r.returncode}: {r.stderr.strip()[-600:]}")
            continue
        if tokens[1] not in SUBCOMMANDS and not has_placeholder(tokens[1:2]):
            failures.append(f"{cmd}\n  unknown subcommand {tokens[1]!r}"); continue
        if is_reference(tokens):
            try: check_reference(tokens, cmd)
            except AssertionError as e: failures.append(str(e))
            continue
        if cmd in ran and not (tokens[1] == 'train' and reads_run(tokens, cmds[i + 1:])): continue
        ran.add(cmd)
        run = prepare(tokens, tmp)
        r = subprocess.run([PADIS, *run[1:]], capture_output=True, text=True, cwd=tmp, timeout=300, env=ENV)
        if r.returncode != 0:
            failures.append(f"{cmd}\n  (ran as: {shlex.join(run)}) exit {r.returncode}: {r.stderr.strip()[-600:]}")
    return failures

def test_wrong_commands_are_caught(tmp_path):
    "The check fails on a wrong command (the stitching page's old one), an unknown option and an unknown subcommand."
    bad = ['padis sample out.png --prior ct128 --denoiser fixed', 'padis sample --no_such_option', 'padis frobnicate --n 1']
    failures = run_documented(bad, tmp_path, set())
    assert len(failures) == 3 and all(f.startswith(c) for f, c in zip(failures, bad)), failures
    assert 'unrecognized arguments: out.png' in failures[0], failures[0]

def earlier_commands(docs):
    "For each document, the commands of the documents before it: those ran there (decided here, so in any test order)."
    seen, out = set(), []
    for _, cmds in docs:
        out.append(frozenset(seen))
        seen |= set(cmds)
    return out

@pytest.mark.parametrize('name,cmds,earlier', [(n, c, e) for (n, c), e in zip(DOCS, earlier_commands(DOCS))],
                         ids=[n for n, _ in DOCS])
def test_documented_commands_run(tmp_path, name, cmds, earlier):
    failures = run_documented(cmds, tmp_path, set(earlier))
    assert not failures, f"documented command(s) in {name} failed:\n" + '\n'.join(failures)
