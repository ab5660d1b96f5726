package dev.loomshowcase.styles;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every general style, made once at startup; the scenarios write one route per style they
 * offer ({@code /sleep/virtual}, {@code /sleep/platform}, ...).
 */
public record Styles(VirtualStyle virtual, PlatformStyle platform, LimitedStyle limited, ReactiveStyle reactive,
                     EventLoopBlockedStyle eventLoopBlocked, PinnedSyncStyle pinnedSync,
                     PinnedNativeStyle pinnedNative, PinnedClinitStyle pinnedClinit) {

    /** What each style does, by the name its routes end with: the second half of the index's line. */
    public Map<String, String> descriptions() {
        Map<String, String> descriptions = new LinkedHashMap<>();
        descriptions.put("virtual", virtual.description());
        descriptions.put("platform", platform.description());
        descriptions.put("limited", limited.description());
        descriptions.put("reactive", reactive.description());
        descriptions.put("eventloop-blocked", eventLoopBlocked.description());
        descriptions.put("pinned-sync", pinnedSync.description());
        descriptions.put("pinned-native", pinnedNative.description());
        descriptions.put("pinned-clinit", pinnedClinit.description());
        return descriptions;
    }
}
