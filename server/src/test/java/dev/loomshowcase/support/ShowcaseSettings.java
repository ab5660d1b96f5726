package dev.loomshowcase.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Settings a {@code @ServerTest} class changes for its own showcase, as {@code key=value}
 * (e.g. {@code "app.cpu-pool.size=1"}); everything else is {@code application.yaml}'s.
 * {@link ShowcaseExtension} reads it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Inherited
public @interface ShowcaseSettings {
    String[] value();
}
