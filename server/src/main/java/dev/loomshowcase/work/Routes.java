package dev.loomshowcase.work;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.loomshowcase.styles.Styles;
import dev.loomshowcase.web.Parameter;

/**
 * The one list of the scenario × style routes. Each scenario writes its own into it, one line
 * per style with the literal path ({@code .get("/sleep/virtual", ...)}), the way a Helidon
 * service writes {@code rules.get(...)}; each line is recorded here as it is written, and the
 * routing, {@code GET /}, the OpenAPI check, the tutorials and the race all read the result.
 */
public final class Routes {

    private static final Pattern PATH = Pattern.compile("/([a-z]+)/([a-z-]+)");

    private final Map<String, String> styleDescriptions;
    private final List<Route> routes = new ArrayList<>();

    private Routes(Styles styles) {
        this.styleDescriptions = styles.descriptions();
    }

    /** Every route of these scenarios, in the order they write them. */
    public static List<Route> of(Styles styles, Scenario... scenarios) {
        Routes routes = new Routes(styles);
        for (Scenario scenario : scenarios) {
            scenario.addRoutes(routes);
        }
        return List.copyOf(routes.routes);
    }

    /** Routes reading these parameters, each described by a line of its own. */
    public Group with(Parameter... parameters) {
        return new Group("", List.of(parameters));
    }

    /** Routes reading these parameters, whose descriptions all begin with {@code lead} (e.g. "sleeps ms"). */
    public Group with(String lead, Parameter... parameters) {
        return new Group(lead, List.of(parameters));
    }

    /** Routes that read the same parameters. */
    public final class Group {

        private final String lead;
        private final List<Parameter> parameters;

        private Group(String lead, List<Parameter> parameters) {
            this.lead = lead;
            this.parameters = parameters;
        }

        /** A route in one of the general styles, which its path names: the style's own description follows the lead. */
        public Group get(String path, Route.Handler handler) {
            String style = matched(path).group(2);
            String description = styleDescriptions.get(style);
            if (description == null) {
                throw new IllegalArgumentException(path + ": no style named '" + style + "'; the styles are "
                        + styleDescriptions.keySet());
            }
            return get(path, description, handler);
        }

        /** A route with a description of its own (the fan-out's and the CPU loop's own styles). */
        public Group get(String path, String description, Route.Handler handler) {
            Matcher segments = matched(path);
            routes.add(new Route(path, segments.group(1), segments.group(2),
                    lead.isEmpty() ? description : lead + "; " + description, parameters, handler));
            return this;
        }

        private static Matcher matched(String path) {
            Matcher segments = PATH.matcher(path);
            if (!segments.matches()) {
                throw new IllegalArgumentException("a matrix route is /{scenario}/{style}, not " + path);
            }
            return segments;
        }
    }
}
