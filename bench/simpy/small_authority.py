"""
The small test authority (test/fixtures/small.yaml) written as a SimPy 2 model (Debian's python3-simpy,
module SimPy), for `npm run bench:simpy`: a whole-process single run of the same model in both tools. The
same referral process (a Poisson process with seasonality, population growth and a step change, by
thinning), front door, durations (gamma, fixed, lognormal, empirical, Weibull by age band), competing
outcomes by age band, placements on entry by age band and placement moves, the 18th birthday ending a case
or a care episode, care-leaver support to 21 or 25, re-referrals, the same starting caseload, and a ledger of
child-days and one-off costs. (Simpler than caseflow where SimPy makes it laborious: no calendar months or
financial years in the ledger, no CSVs written, ages in years of 365.25 days.)

Each child is a SimPy Process that holds for its stay at each level.
Run: /usr/bin/python3 bench/simpy/small_authority.py [years] [seed] [scale] (scale multiplies the population
and every starting group's count, as the benchmark does to the caseflow scenario)
It prints the number of state changes (events) and the spend, so the two models can be compared for size.
"""
import math
import random
import sys

sys.path.insert(0, "/usr/lib/python3/dist-packages")
from SimPy.Simulation import Process, activate, hold, initialize, now, simulate  # noqa: E402

DAYS_PER_YEAR = 365.25
MONTH = DAYS_PER_YEAR / 12
rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
YEARS = int(sys.argv[1]) if len(sys.argv) > 1 else 3
SCALE = int(sys.argv[3]) if len(sys.argv) > 3 else 1
HORIZON = YEARS * DAYS_PER_YEAR

POPULATION = 10000 * SCALE
GROWTH = 0.01
RATE_PER_10K = 500
SEASON = [1.1, 1.0, 1.0, 1.0, 1.0, 0.9, 0.9, 0.8, 1.1, 1.1, 1.1, 1.0]
MEAN_SEASON = sum(SEASON) / 12
SHOCK_AT = 1 * DAYS_PER_YEAR  # 2026-04-01, one year after the 2025-04-01 start
SHOCK = 1.25
START_MONTH = 3  # April (0 = January)


def exponential(mean):
    return -mean * math.log(1.0 - rng.random())


def gamma(shape, mean):
    return rng.gammavariate(shape, mean / shape)


def lognormal(mean, sd):
    s2 = math.log(1 + (sd / mean) ** 2)
    return rng.lognormvariate(math.log(mean) - s2 / 2, math.sqrt(s2))


def weibull(shape, scale):
    return rng.weibullvariate(scale, shape)


def empirical(bins):
    u = rng.random()
    lo = 0.0
    acc = 0.0
    for up, share in bins:
        if u < acc + share:
            return lo + (u - acc) / share * (up - lo)
        acc += share
        lo = up
    return lo


def choose(table):
    u = rng.random()
    acc = 0.0
    for item, p in table:
        acc += p
        if u < acc:
            return item
    return table[-1][0]


FRONT_DOOR = [("universal", 0.3), ("universal_nin", 0.2), ("early_help", 0.25),
              ("intensive_family_support", 0.05), ("child_in_need", 0.15), ("child_protection", 0.04),
              ("looked_after", 0.01)]
CP_BINS = [(3 * MONTH, 0.19), (6 * MONTH, 0.15), (12 * MONTH, 0.42), (24 * MONTH, 0.2), (36 * MONTH, 0.04)]


def duration(level, age):
    if level == "early_help":
        return gamma(2, 120)
    if level == "intensive_family_support":
        return 6 * MONTH
    if level == "child_in_need":
        return lognormal(300, 250)
    if level == "child_protection":
        return empirical(CP_BINS)
    if level == "looked_after":
        return weibull(0.8, 700) if age <= 4 else weibull(0.7, 900)
    raise ValueError(level)


def outcome(level, age):
    if level == "early_help":
        return choose([("universal", 0.85), ("child_in_need", 0.15)])
    if level == "intensive_family_support":
        return choose([("universal", 0.7), ("early_help", 0.2), ("child_protection", 0.1)])
    if level == "child_in_need":
        if age <= 9:
            return choose([("universal", 0.8), ("child_protection", 0.15), ("looked_after", 0.05)])
        return choose([("universal", 0.85), ("child_protection", 0.1), ("looked_after", 0.05)])
    if level == "child_protection":
        return choose([("child_in_need", 0.75), ("looked_after", 0.15), ("universal", 0.1)])
    if level == "looked_after":
        return choose([("child_in_need", 0.35), ("exited", 0.15), ("exited", 0.15), ("care_leaver", 0.2),
                       ("universal", 0.15)])
    raise ValueError(level)


def placement_on_entry(age):
    if age <= 9:
        return choose([("in_house_foster", 0.45), ("ifa_foster", 0.25), ("kinship", 0.2),
                       ("placed_with_parents", 0.1)])
    return choose([("in_house_foster", 0.3), ("ifa_foster", 0.3), ("external_residential", 0.2),
                   ("in_house_residential", 0.1), ("supported_16_plus", 0.1)])


MOVES = {"in_house_foster": (500, [("ifa_foster", 0.5), ("external_residential", 0.5)]),
         "external_residential": (400, [("ifa_foster", 1.0)])}
WEEKLY = {"early_help": 60, "intensive_family_support": 200, "child_in_need": 90, "child_protection": 150,
          "care_leaver": 80, "in_house_foster": 650, "ifa_foster": 900, "kinship": 300, "in_house_residential": 3500,
          "external_residential": 5500, "supported_16_plus": 1500, "placed_with_parents": 100}


class Ledger:
    """Child-days by cell and one-off costs: the same fold as caseflow's ledger (by month)."""

    def __init__(self):
        self.count = {}
        self.last = {}
        self.days = {}
        self.one_off = 0.0
        self.events = 0

    def move(self, frm, to):
        t = now()
        self.events += 1
        for cell in (frm, to):
            if cell is None:
                continue
            c = self.count.get(cell, 0)
            self.days[cell] = self.days.get(cell, 0.0) + c * (t - self.last.get(cell, 0.0))
            self.last[cell] = t
        if frm is not None:
            self.count[frm] -= 1
        if to is not None:
            self.count[to] = self.count.get(to, 0) + 1

    def spend(self):
        for cell, c in self.count.items():
            self.days[cell] = self.days.get(cell, 0.0) + c * (HORIZON - self.last.get(cell, 0.0))
            self.last[cell] = HORIZON
        return sum(self.days.get(k, 0.0) * w / 7 for k, w in WEEKLY.items()) + self.one_off + 500000 * YEARS


ledger = Ledger()


class Child(Process):
    def __init__(self, dob, level, placement=None, remaining=None, care_leaver_age=None):
        Process.__init__(self)
        self.dob = dob
        self.level = level
        self.placement = placement
        self.remaining = remaining

    def age(self):
        return int((now() - self.dob) // DAYS_PER_YEAR)

    def cell(self):
        return self.placement if self.level == "looked_after" else self.level

    def life(self):
        while True:
            if self.level in ("universal", "exited"):
                if self.level == "universal" and rng.random() < 0.2:
                    wait = exponential(6 * MONTH)
                    if now() + wait < self.dob + 18 * DAYS_PER_YEAR:
                        yield hold, self, wait
                        ledger.events += 1  # ChildReferred (re-referral)
                        self.front_door()
                        continue
                return
            if self.level == "care_leaver":
                limit = self.dob + (25 if rng.random() < 0.3 else 21) * DAYS_PER_YEAR
                yield hold, self, max(0.0, limit - now())
                ledger.move("care_leaver", None)
                return
            stay = self.remaining if self.remaining is not None else duration(self.level, self.age())
            self.remaining = None
            end = now() + stay
            eighteen = self.dob + 18 * DAYS_PER_YEAR
            if self.level == "looked_after":
                # Placement moves while in care.
                while self.placement in MOVES and now() < min(end, eighteen):
                    mean, to = MOVES[self.placement]
                    after = exponential(mean)
                    if now() + after >= min(end, eighteen):
                        break
                    yield hold, self, after
                    new = choose(to)
                    ledger.move(self.placement, new)
                    self.placement = new
            if eighteen <= end:
                yield hold, self, max(0.0, eighteen - now())
                old = self.cell()
                if self.level == "looked_after" and self.age() >= 16:
                    self.level, self.placement = "care_leaver", None
                else:
                    self.level, self.placement = "exited", None
                ledger.move(old, self.cell() if self.level != "exited" else None)
                continue
            yield hold, self, max(0.0, end - now())
            nxt = outcome(self.level, self.age())
            self.go(nxt)

    def go(self, nxt):
        old = self.cell()
        if nxt == "looked_after":
            self.level, self.placement = "looked_after", placement_on_entry(self.age())
            ledger.one_off += 15000 if old in ("child_in_need", "child_protection") else 0
        else:
            self.level, self.placement = nxt, None
        ledger.move(old if old != "universal" else None,
                    None if self.level in ("universal", "exited") else self.cell())

    def front_door(self):
        d = choose(FRONT_DOOR)
        if d == "universal_nin":
            ledger.one_off += 400
            d = "universal"
        elif d == "child_in_need":
            ledger.one_off += 400
        elif d == "child_protection":
            ledger.one_off += 1200
        ledger.events += 1
        self.level = "universal"
        if d != "universal":
            self.go(d)


def rate(t):
    month = (START_MONTH + int(t // MONTH)) % 12
    r = RATE_PER_10K / 10000 * POPULATION / DAYS_PER_YEAR * math.exp(math.log(1 + GROWTH) * t / DAYS_PER_YEAR)
    return r * SEASON[month] / MEAN_SEASON * (SHOCK if t >= SHOCK_AT else 1.0)


class Referrals(Process):
    def arrive(self):
        bound = rate(HORIZON) * 1.1 / min(SEASON) * max(SEASON) * SHOCK
        while True:
            yield hold, self, exponential(1 / bound)
            if rng.random() * bound <= rate(now()):
                age_band = choose([((0, 4), 0.3), ((5, 9), 0.3), ((10, 17), 0.4)])
                age = age_band[0] * DAYS_PER_YEAR + rng.random() * (age_band[1] - age_band[0] + 1) * DAYS_PER_YEAR
                c = Child(now() - age, "universal")
                ledger.events += 1  # ChildReferred
                c.front_door()
                activate(c, c.life())


def start():
    groups = [("early_help", None, 200, (0, 17)), ("intensive_family_support", None, 30, (0, 17)),
              ("child_in_need", None, 250, (0, 17)), ("child_protection", None, 60, (0, 17)),
              ("looked_after", "in_house_foster", 40, (0, 15)), ("looked_after", "external_residential", 15, (12, 17)),
              ("looked_after", "supported_16_plus", 10, (16, 17)), ("care_leaver", None, 40, (18, 22))]
    for level, placement, count, (lo, hi) in groups:
        for _ in range(count * SCALE):
            age = lo * DAYS_PER_YEAR + rng.random() * (hi - lo + 1) * DAYS_PER_YEAR
            age_years = int(age // DAYS_PER_YEAR)
            remaining = None if level == "care_leaver" else duration(level, age_years) * rng.random()
            c = Child(-age, level, placement, remaining)
            ledger.move(None, c.cell())
            activate(c, c.life())


initialize()
start()
r = Referrals()
activate(r, r.arrive())
simulate(until=HORIZON)
print(f"{ledger.events} events, spend {ledger.spend() / 1e6:.2f}m")
