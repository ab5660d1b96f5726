package dev.loomshowcase.work;

import java.math.BigInteger;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The 128-bit accumulator against the closed form, n(n-1)(2n-1)/6 in BigInteger, where a
 * {@code long} would wrap: across 2^31 (a segment of the loop ends), 3.04·10^9 (where
 * i*i first passes 63 bits), 2^32 (where it passes 64) and the routes' upper bound 2·10^10.
 */
class SumOfSquaresTest {

    /** Sum of i*i for i &lt; n. */
    static BigInteger below(long n) {
        BigInteger big = BigInteger.valueOf(n);
        return big.multiply(big.subtract(BigInteger.ONE)).multiply(big.shiftLeft(1).subtract(BigInteger.ONE))
                .divide(BigInteger.valueOf(6));
    }

    /** Sum of i*i for from &lt;= i &lt; to. */
    static BigInteger between(long from, long to) {
        return below(to).subtract(below(from));
    }

    @Test
    void smallSumsAreThePlainOnes() {
        for (long n = 0; n <= 3_000; n++) {
            assertThat("n = " + n, SumOfSquares.over(0, n).toBigInteger(), is(below(n)));
        }
    }

    @Test
    void exactAcrossEveryBoundaryOfTheLoop() {
        long[] edges = {1L << 31, 3_037_000_499L, 3_037_000_500L, 1L << 32, 10_000_000_000L, CpuScenario.N.max()};
        for (long edge : edges) {
            for (long width : new long[] {1, 2, 1_000, 1_000_000}) {
                long from = edge - width;
                long to = Math.min(CpuScenario.N.max(), edge + width);
                assertThat("[" + from + ", " + to + ")", SumOfSquares.over(from, to).toBigInteger(), is(between(from, to)));
            }
        }
    }

    @Test
    void thePiecesOfTheUpperBoundAddUpToTheWholeSum() {
        // The whole loop to 2·10^10 takes too long for a test: its last pieces are summed here, and
        // the rest is the closed form, added through the accumulator's own plus (carries included).
        long n = CpuScenario.N.max();
        long from = n - 3_000_000;
        SumOfSquares head = fromBigInteger(below(from));
        SumOfSquares whole = head.plusSquares(from, n - 1_000_000).plus(SumOfSquares.over(n - 1_000_000, n));
        assertThat(whole.toBigInteger(), is(below(n)));
        assertThat("past 2^64 by far", whole.toBigInteger().bitLength() > 100, is(true));
    }

    @Test
    void randomRangesMatchTheClosedForm() {
        SplittableRandom random = new SplittableRandom(14);
        for (int k = 0; k < 200; k++) {
            long from = random.nextLong(CpuScenario.N.max());
            long to = Math.min(CpuScenario.N.max(), from + random.nextLong(20_000));
            assertThat("[" + from + ", " + to + ")", SumOfSquares.over(from, to).toBigInteger(), is(between(from, to)));
        }
    }

    @Test
    void plusCarriesIntoTheHighHalf() {
        SumOfSquares almost = new SumOfSquares(0, -1L); // 2^64 - 1
        assertThat(almost.plus(new SumOfSquares(0, 1)), is(new SumOfSquares(1, 0)));
        assertThat(almost.plusSquares(1, 2), is(new SumOfSquares(1, 0)));
    }

    private static SumOfSquares fromBigInteger(BigInteger value) {
        return new SumOfSquares(value.shiftRight(64).longValueExact(), value.longValue());
    }
}
