package dev.loomshowcase.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * A test class whose checks hold while another class runs beside it: no timing ratio or time
 * bound a busy machine could break (only generous waits for a state), no JVM-wide recording it
 * reads, no file or port it shares. Surefire runs these classes two at a time, in two JVMs
 * (server/pom.xml, execution {@code beside-others}); every other class runs alone, as before.
 * Most of them wait rather than compute (child JVMs, small requests), so two fit on two cores. Not
 * TutorialClientsTest: tutorial 004's batches run CPU loops on the request's virtual thread, which
 * hold both carriers; slowed further by a class beside it, the next batch's requests waited unread
 * on their kept-alive connections past the idle timeout (10 s), and the server closed them.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Tag(RunsBesideOthers.TAG)
public @interface RunsBesideOthers {
    /** The JUnit tag surefire selects the classes by. */
    String TAG = "runs-beside-others";
}
