import datetime as dt

from provenance import Claim, Ledger, Proposition, Source, files

sources = [
    Source("wire", "Wire", kind="wire", reliability="B"),
    Source("echo", "Echo Daily", kind="outlet", reliability="B"),
    Source("paper", "The Paper", kind="outlet", reliability="B"),
]
propositions = [Proposition(f"p{i}", f"Statement {i}.") for i in range(30)]
claims = []
for i in range(30):
    day = dt.date(2024, 3, 1) + dt.timedelta(days=i)
    stance = "denies" if i % 5 == 0 else "asserts"
    claims.append(Claim(f"p{i}", "wire", stance, said_on=day))
    # Echo Daily rewrites the wire story the next day, without saying so.
    claims.append(Claim(f"p{i}", "echo", stance, said_on=day + dt.timedelta(days=1)))
    if i % 2 == 0:  # The Paper reports on its own.
        claims.append(Claim(f"p{i}", "paper", "asserts", said_on=day))
files.save(Ledger.from_objects(sources, propositions, claims, title="Desk"), "desk.toml")
