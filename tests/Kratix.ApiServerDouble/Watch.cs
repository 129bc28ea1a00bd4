using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;

namespace Kratix.ApiServerDouble;

/// <summary>
/// One open watch: which objects it sees (type, namespace, label and field selectors), how objects are rendered
/// (version, Table for kubectl), whether it gets bookmarks, and the queue of JSON lines waiting to be written. An
/// object that stops matching a selector is sent as DELETED, one that starts matching as ADDED, as the API server does.
/// </summary>
internal sealed class WatchSubscription
{
    private readonly Channel<byte[]> queue = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<JsonObject, JsonNode> render;
    private readonly LabelSelector labels;
    private readonly FieldSelector fields;
    private readonly string bookmarkKind;
    private readonly string bookmarkApiVersion;

    public WatchSubscription(string storeKey, string? ns, LabelSelector labels, FieldSelector fields, Func<JsonObject, JsonNode> render, bool bookmarks, string bookmarkKind, string bookmarkApiVersion)
    {
        StoreKey = storeKey;
        Namespace = string.IsNullOrEmpty(ns) ? null : ns;
        this.labels = labels;
        this.fields = fields;
        this.render = render;
        Bookmarks = bookmarks;
        this.bookmarkKind = bookmarkKind;
        this.bookmarkApiVersion = bookmarkApiVersion;
    }

    public string StoreKey { get; }

    public string? Namespace { get; }

    public bool Bookmarks { get; }

    public ChannelReader<byte[]> Reader => queue.Reader;

    public void Offer(StoredEvent ev)
    {
        string? type = ev.Type switch
        {
            WatchEventTypes.Added => Matches(ev.Object) ? WatchEventTypes.Added : null,
            WatchEventTypes.Deleted => Matches(ev.Object) ? WatchEventTypes.Deleted : null,
            _ => (Matches(ev.Object), Matches(ev.Previous)) switch
            {
                (true, true) => WatchEventTypes.Modified,
                (true, false) => WatchEventTypes.Added,
                (false, true) => WatchEventTypes.Deleted,
                _ => null,
            },
        };
        if (type is not null)
        {
            Write(type, render(ev.Object));
        }
    }

    public void Bookmark(long revision, bool initialEventsEnd)
    {
        if (!Bookmarks)
        {
            return;
        }

        var meta = new JsonObject { ["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture), ["creationTimestamp"] = null };
        if (initialEventsEnd)
        {
            meta["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
        }

        Write(WatchEventTypes.Bookmark, new JsonObject { ["kind"] = bookmarkKind, ["apiVersion"] = bookmarkApiVersion, ["metadata"] = meta });
    }

    /// <summary>Sends an ERROR event carrying <paramref name="status"/>, then ends the watch.</summary>
    public void Error(JsonObject status)
    {
        Write(WatchEventTypes.Error, status);
        Close();
    }

    public void Close() => queue.Writer.TryComplete();

    private bool Matches(JsonObject? o) =>
        o is not null
        && (Namespace is null || Json.Namespace(o) == Namespace)
        && (labels.IsEmpty || labels.Matches(Json.StringMap(o["metadata"]?["labels"])))
        && fields.Matches(o);

    private void Write(string type, JsonNode obj)
    {
        var line = new JsonObject { ["type"] = type, ["object"] = obj.Parent is null ? obj : obj.DeepClone() };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(line, Json.Compact);
        var withNewline = new byte[bytes.Length + 1];
        bytes.CopyTo(withNewline, 0);
        withNewline[^1] = (byte)'\n';
        queue.Writer.TryWrite(withNewline);
    }
}

/// <summary>Writes a watch's events as the API server does: a chunked stream of JSON objects, one a line, flushed as they come.</summary>
internal static class WatchStream
{
    public static async Task ServeAsync(HttpContext context, WatchSubscription watch, TimeSpan duration, CancellationToken stopping)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-cache, private";
        await context.Response.StartAsync(stopping);
        await context.Response.Body.FlushAsync(stopping);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        cts.CancelAfter(duration);
        try
        {
            var reader = watch.Reader;
            while (await reader.WaitToReadAsync(cts.Token))
            {
                while (reader.TryRead(out var line))
                {
                    await context.Response.Body.WriteAsync(line, cts.Token);
                }

                await context.Response.Body.FlushAsync(cts.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // timeoutSeconds passed, the client went away, or the server is stopping: end the stream.
        }
    }

    public static byte[] Line(string type, JsonObject obj) =>
        Encoding.UTF8.GetBytes(new JsonObject { ["type"] = type, ["object"] = obj }.ToJsonString() + "\n");
}
