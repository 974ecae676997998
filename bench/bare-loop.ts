/**
 * The reference point for the benchmark: a bare discrete-event loop over a typed-array binary heap, in
 * which every popped event schedules one more after an exponential delay. It does no modelling at all,
 * so it is about as fast as an event loop in JavaScript gets on the machine at hand.
 */
export const bareEventLoop = (events: number, pending: number): number => {
  const time = new Float64Array(pending)
  let n = 0
  let seed = 0x9e3779b9 | 0
  const uniform = () => {
    // xorshift32: the cheapest decent generator, so the loop measures the heap, not the RNG
    seed ^= seed << 13
    seed ^= seed >>> 17
    seed ^= seed << 5
    return ((seed >>> 0) + 0.5) / 4294967296
  }
  const push = (t: number) => {
    let i = n++
    while (i > 0) {
      const p = (i - 1) >> 1
      if (time[p] <= t) break
      time[i] = time[p]
      i = p
    }
    time[i] = t
  }
  const pop = (): number => {
    const top = time[0]
    const last = time[--n]
    let i = 0
    for (;;) {
      let m = 2 * i + 1
      if (m >= n) break
      if (m + 1 < n && time[m + 1] < time[m]) m++
      if (last <= time[m]) break
      time[i] = time[m]
      i = m
    }
    time[i] = last
    return top
  }
  for (let i = 0; i < pending; i++) push(-Math.log(uniform()) * pending)
  let done = 0
  let checksum = 0
  while (done < events) {
    const t = pop()
    checksum += t
    push(t - Math.log(uniform()) * pending)
    done++
  }
  return checksum > 0 ? done : 0
}
