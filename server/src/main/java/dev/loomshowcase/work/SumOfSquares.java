package dev.loomshowcase.work;

import java.math.BigInteger;
import java.nio.ByteBuffer;

/**
 * The sum of i*i, exact as Python's integers are: a 128-bit unsigned accumulator in two longs.
 * A {@code long} wraps at 2^64 (n = 10^9 gave 3338615082255021824 instead of about 3.3·10^26);
 * 128 bits hold the sum for every n below about 10^13, far past the routes' bound of 2·10^10.
 * {@link BigInteger} in the loop would be exact too, but allocates at every step.
 *
 * @param high the sum's upper 64 bits
 * @param low  the sum's lower 64 bits, unsigned
 */
public record SumOfSquares(long high, long low) {

    public static final SumOfSquares ZERO = new SumOfSquares(0, 0);
    private static final long CHECK_EVERY = 1L << 22;

    /** i*i summed for {@code from <= i < to}. */
    public static SumOfSquares over(long from, long to) {
        return ZERO.plusSquares(from, to);
    }

    /** This sum plus i*i for {@code from <= i < to}: the loop every CPU style and the cpu job run. */
    public SumOfSquares plusSquares(long from, long to) {
        if (from < 0) {
            throw new IllegalArgumentException("from must be >= 0, was " + from);
        }
        SumOfSquares sum = this;
        long i = from;
        while (i < to) {
            // A segment where every square has the same high 64 bits (Math.multiplyHigh): there the
            // loop needs only the low 64 bits (i * i, one multiply, the wrapping loop's speed), split
            // into 32-bit halves so that neither sum can overflow within 2^31 squares. A carry per
            // square made the loop 2x slower.
            long high = Math.multiplyHigh(i, i);
            // At most 2^22 squares per segment: between two segments the loop sees whether it was
            // interrupted (its client hung up: web/ClientWatch), a few milliseconds apart.
            long end = Math.min(Math.min(to, firstWithHighAbove(high)), i + CHECK_EVERY);
            long lowHalves = 0;
            long highHalves = 0;
            for (long j = i; j < end; j++) {
                long square = j * j;
                lowHalves += square & 0xFFFF_FFFFL;
                highHalves += square >>> 32;
            }
            sum = sum.plus(new SumOfSquares(highHalves >>> 32, highHalves << 32))
                    .plus(new SumOfSquares(0, lowHalves))
                    .plus(new SumOfSquares(high * (end - i), 0));
            i = end;
            if (i < to && Thread.currentThread().isInterrupted()) {
                throw new java.util.concurrent.CancellationException("the loop was interrupted at i = " + i + " of " + to);
            }
        }
        return sum;
    }

    /** The smallest i whose square's high 64 bits pass {@code high}: isqrt((high + 1)·2^64 - 1) + 1. */
    private static long firstWithHighAbove(long high) {
        return BigInteger.valueOf(high + 1).shiftLeft(64).subtract(BigInteger.ONE).sqrt().longValueExact() + 1;
    }

    /** Two partial sums added, e.g. the pieces of a parallel loop. */
    public SumOfSquares plus(SumOfSquares other) {
        long sumLow = low + other.low;
        long carry = Long.compareUnsigned(sumLow, low) < 0 ? 1 : 0;
        return new SumOfSquares(high + other.high + carry, sumLow);
    }

    /** The sum as one number, for the JSON answer. */
    public BigInteger toBigInteger() {
        return new BigInteger(1, ByteBuffer.allocate(16).putLong(high).putLong(low).array());
    }

    @Override
    public String toString() {
        return toBigInteger().toString();
    }
}
