package dev.agentmemory.longterm.vector;

import io.vertx.mutiny.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code vector-sync.lua} answered for one user.
 *
 * @param model the model of the user's vectors; null when the user has none
 * @param mode {@code same}, {@code delta}, {@code all} or {@code page}
 * @param changes the vectors sent (delta: the changed ones, a null vector for one gone; all: every one)
 */
public record VectorSync(String model, String epoch, long version, String mode, List<Change> changes) {

    public static final VectorSync NONE = new VectorSync(null, null, 0, "none", List.of());

    /** One memory's vector state: its {@link VectorCodec#int8} vector and meta, or nulls when it has none. */
    record Change(String id, byte[] vector, String meta) {}

    public boolean exists() {
        return model != null;
    }

    static VectorSync read(Response reply) {
        if (reply == null || reply.size() == 0) {
            return NONE;
        }
        String mode = reply.get(3).toString();
        List<Change> changes = changes(reply, 4);
        return new VectorSync(
                reply.get(0).toString(),
                reply.get(1).toString(),
                Long.parseLong(reply.get(2).toString()),
                mode,
                changes);
    }

    /** Triples id, vector, meta from {@code from} on, as the sync and page scripts answer them. */
    static List<Change> changes(Response reply, int from) {
        List<Change> changes = new ArrayList<>((reply.size() - from) / 3);
        for (int i = from; i + 2 < reply.size(); i += 3) {
            Response vector = reply.get(i + 1);
            Response meta = reply.get(i + 2);
            changes.add(new Change(
                    reply.get(i).toString(),
                    vector == null ? null : vector.toBytes(),
                    meta == null ? null : meta.toString()));
        }
        return changes;
    }
}
