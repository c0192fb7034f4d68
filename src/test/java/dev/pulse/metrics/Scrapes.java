package dev.pulse.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads series out of a Prometheus text scrape. */
final class Scrapes {

	private Scrapes() {
	}

	/** The value of the one series with exactly this name and these labels. */
	static double value(String scrape, String series) {
		Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
		assertThat(matcher.find()).as("series %s in%n%s", series, scrape).isTrue();
		return Double.parseDouble(matcher.group(1));
	}

	static String poolId(String scrape, int port) {
		Matcher matcher = Pattern.compile(
				"reactor_netty_connection_provider_max_connections\\{id=\"(-?\\d+)\",name=\"pulse-probes\",remote_address=\"127.0.0.1:"
						+ port + "\"")
			.matcher(scrape);
		assertThat(matcher.find()).as(scrape).isTrue();
		return matcher.group(1);
	}

	/** The {@code le} values of one histogram series, in scrape order. */
	static List<String> buckets(String scrape, String prefix) {
		Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(prefix) + "([^\"]+)\"\\} ").matcher(scrape);
		List<String> buckets = new ArrayList<>();
		while (matcher.find()) {
			buckets.add(matcher.group(1));
		}
		return buckets;
	}

}
