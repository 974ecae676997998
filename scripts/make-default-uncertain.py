# Builds scenarios/default-uncertain.yaml from scenarios/default.yaml (run from the repository root: python3
# scripts/make-default-uncertain.py): the same borough with its most
# uncertain assumptions written as distributions. Re-run whenever default.yaml changes.
import re, sys
src = open('scenarios/default.yaml').read()
out = src

def sub(pattern, repl, count=1, flags=re.M):
    global out
    def fix(m):
        line = m.expand(repl)
        # "... # source # UNCERTAIN: x" -> "... # source; UNCERTAIN: x"
        return re.sub(r'(#[^#]*?) # UNCERTAIN:', r'\1; UNCERTAIN:', line)
    new, n = re.subn(pattern, fix, out, count=count, flags=flags)
    if n != count:
        sys.exit(f"pattern not found {count} time(s) (found {n}): {pattern}")
    out = new

header = '''# The default borough (scenarios/default.yaml) with its most uncertain assumptions written as
# distributions, for `caseflow montecarlo`. Each uncertain value says in its comment where its range comes
# from ("UNCERTAIN:"); its central value (the mean, mode or midpoint, which the scenario is checked at) is
# default.yaml's own figure, and everything else is exactly default.yaml: at its central values this file
# is default.yaml (test/scenarios/default-uncertain.test.ts checks it).
#
#   caseflow montecarlo scenarios/default-uncertain.yaml --runs 1000 --budget 2026/27=58m
#
# Shared draws (comonotonic: they move together in each replication):
#   demand       new referrals and re-referrals rise and fall together (a busier front door brings both)
#   care_length  time in care for younger and older children (the same practice and court delays)
#   market       IFA and external residential weekly prices (one provider market)
#   market_inflation  the yearly price rise of every external placement type
#
'''
out = header + out

# Demand
sub(r'^(  ratePer10k:) 412\b(.*)$', r'\1 { uncertain: { type: normal, mean: 412, sd: 25, share: demand } }\2 # UNCERTAIN: sd 6%, an assumption between the national fall of 8% in two years (DOMAIN referrals 650,930 -> 597,760, 2019-2021) and Tameside’s +25% contacts after Covid (seed 001)')
sub(r'^(  reReferral: \{ probability:) 0\.30,', r'\1 { uncertain: { type: pert, min: 0.22, mode: 0.30, max: 0.35, share: demand } },')
sub(r'^(  reReferral: \{ probability: \{ uncertain: .*)$', r'\1 # UNCERTAIN: re-referral rate between the national 22.6% (DOMAIN) and above 30% (Trafford, seed 003)')

# Time in care
sub(r'(\{ ages: \[0, 4\], duration: \{ type: weibull, shape: 0\.5, scale:) 2\.2(, unit: years \} \})(.*)$', r'\1 { uncertain: { type: triangular, min: 1.8, mode: 2.2, max: 2.6, share: care_length } }\2\3 # UNCERTAIN: +-18%, assumption (duration matters more than anything else for the number in care, DOMAIN)')
sub(r'(\{ ages: \[5, 17\], duration: \{ type: weibull, shape: 0\.5, scale:) 3\.5(, unit: years \} \})(.*)$', r'\1 { uncertain: { type: triangular, min: 2.9, mode: 3.5, max: 4.1, share: care_length } }\2\3 # UNCERTAIN: +-17%, assumption, shared with the under-5s')

# Placement mix: share of 10-15s entering care who go to external residential
sub(r'(mix: \{ in_house_foster: 0\.29, ifa_foster: 0\.32, kinship: 0\.11, placed_with_parents: 0\.08, in_house_residential: 0\.02, external_residential:) 0\.15(, secure: 0\.03 \})(.*)$', r'\1 { uncertain: { type: pert, min: 0.10, mode: 0.15, max: 0.22 } }\2\3 # UNCERTAIN: external residential on entry at 10-15, assumption around DOMAIN’s 9% of all CLA in homes; the mix is rescaled to add up to 1 after each draw')

# Prices
sub(r'(perWeek:) 900(, placement: ifa_foster, inflation:) 0\.05( \})(.*)$', r'\1 { uncertain: { type: triangular, min: 820, mode: 900, max: 1000, share: market } }\2 { uncertain: { type: triangular, min: 0.03, mode: 0.05, max: 0.08, share: market_inflation } }\3\4 # UNCERTAIN: price range DOMAIN £820-1,000 (CMA 2021 £820); inflation 3-8% a year, assumption (recent placement price rises)')
sub(r'(perWeek:) 6100(, placement: external_residential, inflation:) 0\.05( \})(.*)$', r'\1 { uncertain: { type: triangular, min: 4500, mode: 6100, max: 9000, share: market } }\2 { uncertain: { type: triangular, min: 0.03, mode: 0.05, max: 0.08, share: market_inflation } }\3\4 # UNCERTAIN: DOMAIN £4,000-6,000, up to £10,000+ (NAO 2023-24 average £6,100); skewed up, assumption')
sub(r'(perWeek: 5175, placement: secure, inflation:) 0\.05( \})', r'\1 { uncertain: { type: triangular, min: 0.03, mode: 0.05, max: 0.08, share: market_inflation } }\2')
sub(r'(perWeek: 1500, placement: supported_16_plus, inflation:) 0\.05( \})', r'\1 { uncertain: { type: triangular, min: 0.03, mode: 0.05, max: 0.08, share: market_inflation } }\2')
sub(r'^(  inflation:) 0\.03 (# .*)$', r'\1 { uncertain: { type: triangular, min: 0.02, mode: 0.03, max: 0.05 } } \2; UNCERTAIN: 2-5%, assumption')

open('scenarios/default-uncertain.yaml', 'w').write(out)
print("ok")
