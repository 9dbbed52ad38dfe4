"""The shipped word list (README, "Trust and spam"): phrases that promote online
gambling, illegal lending and adult content, in Indonesian and English. Matched
on whole words after trust.text.normalise, so ``s l o t  g4corr`` matches
``slot gacor`` and ``pinjolku`` does not match ``pinjol`` (nor "toge" "togel").
Written for this project; add more with TRUST_EXTRA_WORDS.
"""

GAMBLING = (
    "judi online", "judol", "slot gacor", "gacor", "situs slot", "link slot", "slot online",
    "togel", "toto gelap", "bandar togel", "bandar bola", "judi bola", "taruhan bola",
    "maxwin", "rtp live", "deposit pulsa", "bonus new member", "scatter hitam",
    "casino online", "kasino online", "poker online", "sbobet", "online casino",
    "free spins", "betting tips", "sports betting",
)  # fmt: skip
LENDING = (
    "pinjol", "pinjol ilegal", "pinjaman online cepat cair", "dana cepat cair",
    "tanpa bi checking", "tanpa slik", "cair dalam 5 menit", "pinjaman tanpa jaminan",
    "instant loan", "payday loan", "no credit check", "guaranteed loan approval",
)  # fmt: skip
ADULT = (
    "bokep", "video bokep", "open bo", "vcs", "video panas", "cewek panggilan",
    "porn", "escort service", "sex cam", "nude cam",
)  # fmt: skip

CATEGORIES = {"gambling": GAMBLING, "lending": LENDING, "adult": ADULT}
