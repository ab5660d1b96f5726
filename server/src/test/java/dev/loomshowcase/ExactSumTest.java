package dev.loomshowcase;

import java.math.BigInteger;
import java.time.Duration;

import dev.loomshowcase.support.Jobs;
import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.ShowcaseClient.Reply;

import io.helidon.webserver.testing.junit5.ServerTest;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Every CPU style and the cpu job answer sum(i*i for i in range(n)) exactly, as Python does:
 * n(n-1)(2n-1)/6, at the smallest n and at 3.1·10^9, past 3.04·10^9 where i*i first passes
 * 63 bits (the sum passed 2^64 long before). The routes' upper bound, 2·10^10, would take a
 * minute of loop: SumOfSquaresTest checks the accumulator there.
 */
@ServerTest(pinningDetection = true)
class ExactSumTest {

    private static RunningShowcase SHOWCASE;

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
    }

    private static BigInteger expected(long n) {
        BigInteger big = BigInteger.valueOf(n);
        return big.multiply(big.subtract(BigInteger.ONE)).multiply(big.shiftLeft(1).subtract(BigInteger.ONE))
                .divide(BigInteger.valueOf(6));
    }

    @ParameterizedTest(name = "n = {0}")
    @ValueSource(longs = {1, 2, 3, 3_100_000_000L})
    void everyStyleAndTheJobAnswerTheExactSum(long n) throws Exception {
        for (String style : new String[] {"virtual", "yielding", "platform", "parallel"}) {
            Reply reply = SHOWCASE.get("/cpu/" + style + "?n=" + n);
            assertThat(reply.body(), reply.status(), is(200));
            JsonObject result = reply.json().getJsonObject("result");
            assertThat(style + " at n = " + n, result.getJsonNumber("sumOfSquares").bigIntegerValueExact(), is(expected(n)));
            assertThat(result.getJsonNumber("n").longValueExact(), is(n));
        }
        JsonObject job = Jobs.submit(SHOWCASE, "{\"kind\": \"cpu\", \"n\": " + n + "}");
        JsonObject done = Jobs.awaitStatus(SHOWCASE, job.getString("id"), "succeeded", Duration.ofSeconds(60));
        assertThat("the cpu job at n = " + n, done.getJsonObject("result").getJsonNumber("sumOfSquares").bigIntegerValueExact(),
                is(expected(n)));
    }
}
