package dev.pulse.discovery;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;

/**
 * The mock API server's CRUD dispatcher with one behaviour of a real API server added: a
 * watch that resumes from a resourceVersion older than the watch cache holds is answered
 * {@code 410 Gone} ("too old resource version"), which is what a client sees after a long
 * enough disconnect, and what makes it list again. The mock alone resumes such a watch
 * and silently drops the events in between.
 */
final class ExpiringWatches extends KubernetesCrudDispatcher {

	private static final Pattern RESOURCE_VERSION = Pattern.compile("[?&]resourceVersion=(\\d+)");

	private static final String GONE = "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\","
			+ "\"metadata\":{},\"status\":\"Failure\",\"message\":\"too old resource version\","
			+ "\"reason\":\"Expired\",\"code\":410}}";

	private volatile long oldest;

	/** Watches resuming from a version below this one get 410 Gone from now on. */
	void expireBelow(long resourceVersion) {
		this.oldest = resourceVersion;
	}

	@Override
	public MockResponse dispatch(RecordedRequest request) {
		String path = request.getPath();
		if (path.contains("watch=true")) {
			Matcher version = RESOURCE_VERSION.matcher(path);
			if (version.find() && Long.parseLong(version.group(1)) < this.oldest) {
				return new MockResponse().withWebSocketUpgrade(new WebSocketListener() {

					@Override
					public void onOpen(WebSocket socket, Response response) {
						socket.send(GONE);
						socket.close(1000, "");
					}

				});
			}
		}
		return super.dispatch(request);
	}

}
