# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Transcript audit with tactful
#
# Which customer messages needed the problem fixed first, and which needed empathy first?
# This notebook loads a JSON Lines file of customer messages (one object per line with a
# `text` field), assesses every message with `tactful.assess_frame`, and draws the three
# pictures an analyst asks for first:
#
# 1. the distribution of issue categories by recommended approach;
# 2. emotion × urgency;
# 3. the share of messages where resolution must come first, per category.
#
# It is a percent-format notebook (open it in Jupyter with jupytext, or run the `.ipynb`
# beside it) and also a script:
#
#     python examples/python/transcript_audit.py --limit 2000 --out docs/img
#
# Inputs default to the public datasets in `$TACTFUL_DATASETS` (or `../shared/datasets`
# beside the checkout); pass `--input FILE.jsonl` (repeatable) for your own transcripts.

# %%
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import matplotlib

if "ipykernel" not in sys.modules:
    matplotlib.use("Agg")  # running as a script: draw to files only
import matplotlib.pyplot as plt
import pandas as pd

import tactful

HERE = Path(__file__).resolve().parent if "__file__" in globals() else Path.cwd()
REPO = HERE.parents[1] if (HERE.parents[1] / "tests" / "golden").is_dir() else Path.cwd()
DATASETS = Path(os.environ.get("TACTFUL_DATASETS", REPO.parent / "shared" / "datasets"))
DEFAULT_INPUTS = [
    DATASETS / "airline_tweets" / "dev.jsonl",  # real tweets to airlines
    DATASETS / "bitext_customer_support" / "dev.jsonl",  # e-commerce service requests
    DATASETS / "banking77" / "dev.jsonl",  # banking questions and problems
]

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--input", action="append", type=Path, help="JSONL file with a `text` field (repeatable)")
parser.add_argument("--limit", type=int, default=0, help="assess only the first N messages (0: all)")
parser.add_argument("--out", type=Path, default=Path("audit_out"), help="folder for the PNG files")
# parse_known_args: inside Jupyter, sys.argv holds the kernel's own arguments.
args, _ = parser.parse_known_args()

inputs = args.input or [p for p in DEFAULT_INPUTS if p.is_file()]
if not inputs:  # no datasets on this machine: fall back to the project's golden cases
    inputs = [REPO / "tests" / "golden" / "assess.jsonl"]
args.out.mkdir(parents=True, exist_ok=True)
print("inputs:", *inputs, sep="\n  ")

# %% [markdown]
# ## Load and assess
#
# `assess_frame` runs in Rust on all cores with the GIL released and returns flat columns
# (labels as pandas categoricals) aligned on the frame's index, so `join` puts them beside
# the messages.

# %%
frames = [pd.read_json(p, lines=True)[["text"]].assign(source=p.parent.name or p.stem) for p in inputs]
messages = pd.concat(frames, ignore_index=True)
if args.limit:
    messages = messages.head(args.limit)

engine = tactful.Engine()  # the embedded playbook and models; build once, reuse everywhere
start = time.perf_counter()
audit = messages.join(tactful.assess_frame(messages, "text", engine=engine, context={"channel": "chat"}))
elapsed = time.perf_counter() - start
print(f"{len(audit)} messages assessed in {elapsed:.2f}s ({len(audit) / max(elapsed, 1e-9):,.0f}/s)")
print(f"{audit['error'].notna().sum()} rows could not be assessed")
audit = audit[audit["error"].isna()]
audit.head()

# %% [markdown]
# ## 1. Categories by recommended approach

# %%
by_approach = pd.crosstab(audit["category"], audit["approach"])
by_approach = by_approach.loc[by_approach.sum(axis=1).sort_values().index]
fig, ax = plt.subplots(figsize=(10, 6))
by_approach.plot.barh(ax=ax, stacked=True, colormap="tab10", width=0.8)
ax.set_xlabel("messages")
ax.set_ylabel("")
ax.set_title("What each kind of issue needs first")
ax.legend(title="approach", bbox_to_anchor=(1.01, 1), loc="upper left", frameon=False)
plt.tight_layout()
plt.savefig(args.out / "category_by_approach.png", dpi=110)
plt.show() if "ipykernel" in sys.modules else plt.close(fig)

# %% [markdown]
# ## 2. Emotion × urgency

# %%
heat = pd.crosstab(audit["emotion"], audit["urgency"]).reindex(
    index=tactful.EMOTIONS, columns=tactful.URGENCIES, fill_value=0
)
fig, ax = plt.subplots(figsize=(7, 5.5))
im = ax.imshow(heat.values, cmap="OrRd")
ax.set_xticks(range(len(heat.columns)), heat.columns)
ax.set_yticks(range(len(heat.index)), heat.index)
for i in range(heat.shape[0]):
    for j in range(heat.shape[1]):
        v = heat.values[i, j]
        ax.text(j, i, f"{v}", ha="center", va="center",
                color="white" if v > heat.values.max() / 2 else "black", fontsize=9)
ax.set_title("Emotion × urgency (messages)")
fig.colorbar(im, ax=ax, shrink=0.8)
plt.tight_layout()
plt.savefig(args.out / "emotion_urgency_heatmap.png", dpi=110)
plt.show() if "ipykernel" in sys.modules else plt.close(fig)

# %% [markdown]
# ## 3. Where resolution must come first
#
# `resolve_first`: one short acknowledgement, then immediate action — money, security or an
# expensive failure is at stake, and sympathy before action reads as stalling.

# %%
audit = audit.assign(resolve_first=audit["approach"] == "resolve_first")
share = audit.groupby("category", observed=True)["resolve_first"].mean().sort_values()
overall = audit["resolve_first"].mean()
fig, ax = plt.subplots(figsize=(9, 5.5))
(share * 100).plot.barh(ax=ax, color="#c0392b")
ax.axvline(overall * 100, color="black", linestyle="--", linewidth=1)
ax.text(overall * 100 + 1, -0.4, f"all messages: {overall:.0%}", va="center", fontsize=9)
ax.set_xlabel("% of messages where resolution comes before empathy")
ax.set_ylabel("")
ax.set_xlim(0, 100)
ax.set_title("Share of messages that need the fix first")
plt.tight_layout()
plt.savefig(args.out / "resolve_first_share.png", dpi=110)
plt.show() if "ipykernel" in sys.modules else plt.close(fig)

# %% [markdown]
# ## Worked examples
# The highest-urgency messages with the suggested opening line.

# %%
cols = ["text", "category", "emotion", "urgency", "approach", "empathy", "opening"]
urgent = audit.sort_values(["urgency", "escalation_risk"], ascending=[True, False])
print(urgent[cols].head(5).to_string(max_colwidth=60))
print("pictures in", args.out.resolve())
