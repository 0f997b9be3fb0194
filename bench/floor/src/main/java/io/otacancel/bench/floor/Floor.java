package io.otacancel.bench.floor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;

/**
 * The benchmark floor: start the JVM, parse the event with Jackson databind and print it back.
 * Both baselines do exactly this much before they touch an SDK, so anything above this row is
 * what the SDK (or the project's own client) costs.
 */
public final class Floor {
    private Floor() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java -jar floor.jar EVENT.json");
            System.exit(2);
        }
        ObjectMapper json = new ObjectMapper();
        JsonNode event = json.readTree(new File(args[0]));
        System.out.println(json.writeValueAsString(event));
    }
}
