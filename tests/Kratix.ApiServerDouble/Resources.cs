using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kratix.Manifests;
using Kratix.Schema;
using Microsoft.AspNetCore.Http;

namespace Kratix.ApiServerDouble;

/// <summary>
/// The REST verbs on resources — get, list, watch, create, update, patch (merge, JSON, apply), delete and
/// deletecollection, on the main resource and the status subresource — with the API server's rules: resourceVersion
/// preconditions, generation, status handling, dry run, field validation modes, finalizers and deletionTimestamp,
/// managedFields, label and field selectors, chunked lists.
/// </summary>
internal sealed class Resources
{
    private const string GeneratedNameChars = "bcdfghjklmnpqrstvwxz2456789";
    private readonly Storage storage;
    private readonly Registry registry;
    private readonly Controllers controllers;
    private readonly ApiServerDoubleOptions options;
    private readonly PodLogs logs;

    public Resources(Storage storage, Registry registry, Controllers controllers, ApiServerDoubleOptions options, PodLogs logs)
    {
        this.storage = storage;
        this.registry = registry;
        this.controllers = controllers;
        this.options = options;
        this.logs = logs;
    }

    public async Task HandleAsync(HttpContext ctx, RequestInfo info, ResourceType type, CancellationToken stopping)
    {
        if (info.Namespace is not null && !type.Namespaced)
        {
            throw StatusErrors.NotFoundPath();
        }

        if (info.Subresource.Length > 0 && !(info.Subresource == "status" && type.HasStatus) && !(info.Subresource == "log" && type.HasLog))
        {
            throw StatusErrors.NotFoundPath();
        }

        if (info.Subresource == "log")
        {
            await PodLogAsync(ctx, type, info);
            return;
        }

        switch (info.Verb)
        {
            case "get":
                Get(ctx, type, info);
                break;
            case "list":
                List(ctx, type, info);
                break;
            case "watch":
                await WatchAsync(ctx, type, info, stopping);
                break;
            case "create":
                if (info.Name is not null)
                {
                    throw StatusErrors.MethodNotAllowed("the server does not allow this method on the requested resource");
                }

                Create(ctx, type, info, await ReadBodyAsync(ctx));
                break;
            case "update":
                Update(ctx, type, info, await ReadBodyAsync(ctx));
                break;
            case "patch":
                Patch(ctx, type, info, await ReadRawBodyAsync(ctx));
                break;
            case "delete":
                Delete(ctx, type, info, await ReadRawBodyAsync(ctx));
                break;
            case "deletecollection":
                DeleteCollection(ctx, type, info);
                break;
            default:
                throw StatusErrors.MethodNotAllowed("the server does not allow this method on the requested resource");
        }
    }

    // ---- reads ----

    private void Get(HttpContext ctx, ResourceType type, RequestInfo info)
    {
        // Stored JsonObjects are read only under the lock (a parsed node may still initialise itself on first read).
        lock (storage.Gate)
        {
            var stored = storage.Get(type.StoreKey, Storage.Key(info.Namespace, info.Name!))
                ?? throw StatusErrors.NotFound(type.Plural, type.Group, info.Name!);
            if (Tables.Wanted(ctx.Request))
            {
                Http.WriteJson(ctx, 200, Tables.Table(type, info.Version, [Render(type, info.Version, stored.Object)], stored.Revision.ToString(CultureInfo.InvariantCulture), null, ctx.Request.Query["includeObject"]));
                return;
            }

            Http.WriteBytes(ctx, 200, RenderBytes(type, info.Version, stored));
        }
    }

    private void List(HttpContext ctx, ResourceType type, RequestInfo info)
    {
        var q = ctx.Request.Query;
        var labels = LabelSelector.Parse(q["labelSelector"]);
        var fields = FieldSelector.Parse(q["fieldSelector"], type);
        int limit = int.TryParse(q["limit"], NumberStyles.Integer, CultureInfo.InvariantCulture, out int l) && l > 0 ? l : int.MaxValue;
        string? start = null;
        long listRevision;
        var items = new List<StoredObject>();
        bool more = false;
        int remaining = 0;
        lock (storage.Gate)
        {
            listRevision = storage.Revision;
            if (q["continue"] is { Count: > 0 } c && !string.IsNullOrEmpty(c[0]))
            {
                (listRevision, start) = DecodeContinue(c[0]!);
                if (listRevision < storage.CompactedRevision)
                {
                    throw StatusErrors.Expired("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.");
                }
            }

            foreach (var o in storage.List(type.StoreKey, info.Namespace))
            {
                string key = Storage.Key(Json.Namespace(o.Object), Json.Name(o.Object));
                if (start is not null && string.CompareOrdinal(key, start) <= 0)
                {
                    continue;
                }

                if ((!labels.IsEmpty && !labels.Matches(Json.StringMap(o.Object["metadata"]?["labels"]))) || !fields.Matches(o.Object))
                {
                    continue;
                }

                if (items.Count == limit)
                {
                    more = true;
                    remaining++;
                    continue;
                }

                items.Add(o);
            }

            WriteList(ctx, type, info, items, more ? remaining : -1, listRevision);
        }
    }

    /// <summary>The list response (a Table for kubectl). Holds the lock: it reads stored objects.</summary>
    private static void WriteList(HttpContext ctx, ResourceType type, RequestInfo info, List<StoredObject> items, int remaining, long listRevision)
    {
        bool more = remaining >= 0;
        string? next = more ? EncodeContinue(listRevision, Storage.Key(Json.Namespace(items[^1].Object), Json.Name(items[^1].Object))) : null;
        string rv = listRevision.ToString(CultureInfo.InvariantCulture);
        if (Tables.Wanted(ctx.Request))
        {
            Http.WriteJson(ctx, 200, Tables.Table(type, info.Version, items.Select(i => Render(type, info.Version, i.Object)), rv, next, ctx.Request.Query["includeObject"]));
            return;
        }

        using var buffer = new MemoryStream();
        var meta = new JsonObject { ["resourceVersion"] = rv };
        if (next is not null)
        {
            meta["continue"] = next;
            meta["remainingItemCount"] = remaining;
        }

        buffer.Write(Encoding.UTF8.GetBytes("{\"apiVersion\":" + JsonSerializer.Serialize(type.ApiVersion(info.Version)) + ",\"kind\":" + JsonSerializer.Serialize(type.ListKind)
            + ",\"metadata\":" + meta.ToJsonString() + ",\"items\":["));
        for (int i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                buffer.WriteByte((byte)',');
            }

            buffer.Write(RenderBytes(type, info.Version, items[i]));
        }

        buffer.Write("]}"u8);
        Http.WriteBytes(ctx, 200, buffer.ToArray());
    }

    private static string EncodeContinue(long rv, string key) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(new JsonObject { ["v"] = "meta.k8s.io/v1", ["rv"] = rv, ["start"] = key }.ToJsonString()));

    private static (long Rv, string Start) DecodeContinue(string token)
    {
        try
        {
            var o = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)))!.AsObject();
            return (o["rv"]!.GetValue<long>(), o["start"]!.GetValue<string>());
        }
        catch (Exception e) when (e is FormatException or JsonException or NullReferenceException or InvalidOperationException)
        {
            throw StatusErrors.BadRequest("continue key is not valid: " + e.Message);
        }
    }

    private async Task WatchAsync(HttpContext ctx, ResourceType type, RequestInfo info, CancellationToken stopping)
    {
        var q = ctx.Request.Query;
        var labels = LabelSelector.Parse(q["labelSelector"]);
        var fields = FieldSelector.Parse(q["fieldSelector"], type);
        if (info.Name is not null)
        {
            fields = FieldSelector.Parse("metadata.name=" + info.Name + (string.IsNullOrEmpty(q["fieldSelector"]) ? string.Empty : "," + q["fieldSelector"]), type);
        }

        bool bookmarks = q["allowWatchBookmarks"] is { Count: > 0 } b && b[0] is "true" or "1";
        bool sendInitial = q["sendInitialEvents"] is { Count: > 0 } si && si[0] is "true" or "1";
        string rvParam = q["resourceVersion"].ToString();
        if (sendInitial && (!bookmarks || q["resourceVersionMatch"] != "NotOlderThan"))
        {
            throw new ApiStatusException(422, "Invalid", "ListOptions.meta.k8s.io \"\" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled and allowWatchBookmarks and resourceVersionMatch=NotOlderThan are set");
        }

        long? from = null;
        if (!sendInitial && rvParam.Length > 0 && rvParam != "0")
        {
            if (!long.TryParse(rvParam, NumberStyles.None, CultureInfo.InvariantCulture, out long parsed))
            {
                throw StatusErrors.BadRequest("invalid resource version: " + rvParam);
            }

            from = parsed;
        }

        bool table = Tables.Wanted(ctx.Request);
        string include = ctx.Request.Query["includeObject"].ToString();
        Func<JsonObject, JsonNode> render = table
            ? o => Tables.SingleRowTable(type, info.Version, Render(type, info.Version, o), include)
            : o => Render(type, info.Version, o);
        var watch = new WatchSubscription(type.StoreKey, info.Namespace, labels, fields, render, bookmarks,
            table ? "Table" : type.Kind, table ? "meta.k8s.io/v1" : type.ApiVersion(info.Version));
        lock (storage.Gate)
        {
            try
            {
                storage.Subscribe(watch, from, sendInitial);
            }
            catch (ApiStatusException e) when (e.Code == 410)
            {
                // Like the watch cache: once the request is admitted, a too old resourceVersion is an ERROR event.
                watch.Error(e.ToStatus());
            }
        }

        int seconds = int.TryParse(q["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out int t) && t > 0 ? t : (int)options.MaxWatchDuration.TotalSeconds;
        try
        {
            await WatchStream.ServeAsync(ctx, watch, TimeSpan.FromSeconds(Math.Min(seconds, options.MaxWatchDuration.TotalSeconds)), stopping);
        }
        finally
        {
            storage.Unsubscribe(watch);
        }
    }

    // ---- writes ----

    private void Create(HttpContext ctx, ResourceType type, RequestInfo info, JsonObject body)
    {
        var opts = WriteOptions.From(ctx, apply: false);
        CheckTypeMeta(body, type, info.Version);
        PlaceInNamespace(body, type, info);
        lock (storage.Gate)
        {
            var created = PrepareCreate(ctx, type, info, body, opts, fromApply: false);
            Respond(ctx, type, info.Version, created, 201);
        }
    }

    /// <summary>A create from inside the process (seeding, test set-up): the same rules as a POST.</summary>
    internal JsonObject CreateDirect(HttpContext ctx, ResourceType type, RequestInfo info, JsonObject body)
    {
        var opts = WriteOptions.From(ctx, apply: false);
        CheckTypeMeta(body, type, info.Version);
        PlaceInNamespace(body, type, info);
        lock (storage.Gate)
        {
            return PrepareCreate(ctx, type, info, body, opts, fromApply: false).DeepClone().AsObject();
        }
    }

    /// <summary>Everything a create does once the body is in hand (also the create branch of an apply). Holds the lock.</summary>
    private JsonObject PrepareCreate(HttpContext ctx, ResourceType type, RequestInfo info, JsonObject obj, WriteOptions opts, bool fromApply)
    {
        var meta = Json.Meta(obj);
        if (type.Terminating)
        {
            throw StatusErrors.MethodNotAllowed("create not allowed while custom resource definition is terminating");
        }

        if (string.IsNullOrEmpty(Json.Str(meta["name"])) && Json.Str(meta["generateName"]) is { Length: > 0 } prefix)
        {
            meta["name"] = (prefix.Length > 58 ? prefix[..58] : prefix) + string.Concat(Enumerable.Range(0, 5).Select(_ => GeneratedNameChars[RandomNumberGenerator.GetInt32(GeneratedNameChars.Length)]));
        }

        if (!string.IsNullOrEmpty(Json.Str(meta["resourceVersion"])))
        {
            throw StatusErrors.Internal("resourceVersion should not be set on objects to be created");
        }

        if (type.Namespaced)
        {
            controllers.CheckNamespaceAcceptsContent(info.Namespace!);
        }

        string now = Json.Time(DateTimeOffset.UtcNow);
        meta["uid"] = Guid.NewGuid().ToString();
        meta["creationTimestamp"] = now;
        meta.Remove("deletionTimestamp");
        meta.Remove("deletionGracePeriodSeconds");
        meta.Remove("selfLink");
        if (type.TracksGeneration)
        {
            meta["generation"] = 1;
        }
        else
        {
            meta.Remove("generation");
        }

        if (!fromApply)
        {
            meta.Remove("managedFields");
        }

        if (type.HasStatus)
        {
            obj.Remove("status");
        }

        type.Behaviour.PrepareForCreate(obj);
        Admit(ctx, type, info.Version, obj, null, opts);
        if (storage.Get(type.StoreKey, Storage.Key(info.Namespace, Json.Name(obj))) is not null)
        {
            throw StatusErrors.AlreadyExists(type.Plural, type.Group, Json.Name(obj));
        }

        if (!fromApply)
        {
            ManagedFieldsEntry.RecordUpdate(null, obj, type, info.Version, opts.Manager, string.Empty, type.HasStatus ? StatusPart.Exclude : StatusPart.Include, now);
        }

        ToStorageVersion(type, obj);
        if (opts.DryRun)
        {
            return obj;
        }

        var stored = storage.Commit(type.StoreKey, WatchEventTypes.Added, obj, null);
        controllers.AfterWrite(type, stored.Object, null);
        return stored.Object;
    }

    private void Update(HttpContext ctx, ResourceType type, RequestInfo info, JsonObject body)
    {
        var opts = WriteOptions.From(ctx, apply: false);
        CheckTypeMeta(body, type, info.Version);
        CheckName(body, info);
        PlaceInNamespace(body, type, info);
        lock (storage.Gate)
        {
            var old = storage.Get(type.StoreKey, Storage.Key(info.Namespace, info.Name!))?.Object
                ?? throw StatusErrors.NotFound(type.Plural, type.Group, info.Name!);
            string? rv = Json.Str(body["metadata"]?["resourceVersion"]);
            if (!string.IsNullOrEmpty(rv) && rv != Json.Str(old["metadata"]?["resourceVersion"]))
            {
                throw StatusErrors.ModifiedConflict(type.Plural, type.Group, info.Name!);
            }

            var (result, code) = FinishUpdate(ctx, type, info, old, body, opts, applied: false);
            Respond(ctx, type, info.Version, result, code);
        }
    }

    private void Patch(HttpContext ctx, ResourceType type, RequestInfo info, string raw)
    {
        string contentType = (ctx.Request.ContentType ?? string.Empty).Split(';')[0].Trim();
        bool apply = contentType == Patches.Apply;
        var opts = WriteOptions.From(ctx, apply);
        if (contentType is not (Patches.Merge or Patches.JsonPatch or Patches.Strategic or Patches.Apply) || (contentType == Patches.Strategic && type.IsCustom))
        {
            throw StatusErrors.UnsupportedMediaType(contentType);
        }

        JsonNode? patch = apply ? ParseYamlOrJson(raw) : ParseJson(raw);
        lock (storage.Gate)
        {
            var old = storage.Get(type.StoreKey, Storage.Key(info.Namespace, info.Name!))?.Object;
            if (apply)
            {
                if (patch is not JsonObject config)
                {
                    throw StatusErrors.BadRequest("error decoding YAML: the apply configuration is not an object");
                }

                ApplyPatch(ctx, type, info, old, config, opts);
                return;
            }

            if (old is null)
            {
                throw StatusErrors.NotFound(type.Plural, type.Group, info.Name!);
            }

            JsonNode? patched = contentType == Patches.JsonPatch
                ? Patches.ApplyJsonPatch(old.DeepClone(), patch as JsonArray ?? throw StatusErrors.BadRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch"))
                : Patches.MergePatch(old.DeepClone(), patch);
            if (patched is not JsonObject newObj)
            {
                throw StatusErrors.BadRequest("the patch did not produce an object");
            }

            if (Json.Str(newObj["metadata"]?["resourceVersion"]) != Json.Str(old["metadata"]?["resourceVersion"]))
            {
                throw StatusErrors.ModifiedConflict(type.Plural, type.Group, info.Name!);
            }

            CheckName(newObj, info);
            var (result, code) = FinishUpdate(ctx, type, info, old, newObj, opts, applied: false);
            Respond(ctx, type, info.Version, result, code);
        }
    }

    private void ApplyPatch(HttpContext ctx, ResourceType type, RequestInfo info, JsonObject? old, JsonObject config, WriteOptions opts)
    {
        if (string.IsNullOrEmpty(Json.Str(config["apiVersion"])) || string.IsNullOrEmpty(Json.Str(config["kind"])))
        {
            throw StatusErrors.BadRequest(string.IsNullOrEmpty(Json.Str(config["apiVersion"])) ? "apiVersion must be set" : "kind must be set");
        }

        CheckTypeMeta(config, type, info.Version);
        CheckName(config, info);
        PlaceInNamespace(config, type, info);
        if (config["metadata"]?["managedFields"] is not null)
        {
            throw StatusErrors.BadRequest("metadata.managedFields must be nil");
        }

        if (Json.Str(config["metadata"]?["resourceVersion"]) is { Length: > 0 } rv && old is not null && rv != Json.Str(old["metadata"]?["resourceVersion"]))
        {
            throw StatusErrors.ModifiedConflict(type.Plural, type.Group, info.Name!);
        }

        // Fields the type does not know are neither merged nor owned: prune them from the configuration first.
        var pruneWarnings = new List<string>();
        var trimmed = config.DeepClone().AsObject();
        if (type.Schemas.TryGetValue(info.Version, out var schema))
        {
            pruneWarnings.AddRange(SchemaPruner.Prune(trimmed, schema, isResourceRoot: true).Select(p => "unknown field " + ApiServerAdmission.Quote(p)));
        }

        if (pruneWarnings.Count > 0)
        {
            opts.Warn(ctx, pruneWarnings);
        }

        string now = Json.Time(DateTimeOffset.UtcNow);
        var merged = ServerSideApply.Apply(old, trimmed, type, info.Version, opts.Manager, opts.Force, info.Subresource, now);
        if (old is null)
        {
            if (info.Subresource.Length > 0)
            {
                throw StatusErrors.NotFound(type.Plural, type.Group, info.Name!);
            }

            var created = PrepareCreate(ctx, type, info, merged, opts, fromApply: true);
            Respond(ctx, type, info.Version, created, 201);
            return;
        }

        var (result, code) = FinishUpdate(ctx, type, info, old, merged, opts, applied: true);
        Respond(ctx, type, info.Version, result, code);
    }

    /// <summary>The common end of update, patch and apply on an existing object. Holds the lock.</summary>
    private (JsonObject Result, int Code) FinishUpdate(HttpContext ctx, ResourceType type, RequestInfo info, JsonObject old, JsonObject body, WriteOptions opts, bool applied)
    {
        string now = Json.Time(DateTimeOffset.UtcNow);
        var oldMeta = old["metadata"]!.AsObject();
        JsonObject obj;
        if (info.Subresource == "status")
        {
            // The status subresource changes status only (and its managedFields).
            obj = old.DeepClone().AsObject();
            if (body["status"] is { } status)
            {
                obj["status"] = status.DeepClone();
            }
            else
            {
                obj.Remove("status");
            }

            if (applied && body["metadata"]?["managedFields"] is { } mf)
            {
                Json.Meta(obj)["managedFields"] = mf.DeepClone();
            }
        }
        else
        {
            obj = body.DeepClone().AsObject();
            if (type.HasStatus)
            {
                if (old["status"] is { } oldStatus)
                {
                    obj["status"] = oldStatus.DeepClone();
                }
                else
                {
                    obj.Remove("status");
                }
            }
        }

        var meta = Json.Meta(obj);
        foreach (var field in new[] { "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "namespace", "name" })
        {
            if (oldMeta[field] is { } v)
            {
                meta[field] = v.DeepClone();
            }
            else
            {
                meta.Remove(field);
            }
        }

        meta["resourceVersion"] = oldMeta["resourceVersion"]?.DeepClone();
        if (body["metadata"]?["managedFields"] is null && info.Subresource != "status")
        {
            if (oldMeta["managedFields"] is { } omf)
            {
                meta["managedFields"] = omf.DeepClone();
            }
        }

        if (oldMeta["deletionTimestamp"] is not null)
        {
            var added = Json.StringList(meta["finalizers"]).Except(Json.StringList(oldMeta["finalizers"])).ToList();
            if (added.Count > 0)
            {
                throw StatusErrors.Invalid(type.Kind, type.Group, info.Name!,
                    [ApiServerAdmission.Error("metadata.finalizers", FieldErrorType.Forbidden, null,
                        "no new finalizers can be added if the object is being deleted, found new finalizers []string{" + string.Join(", ", added.Select(ApiServerAdmission.Quote)) + "}")]);
            }
        }

        Admit(ctx, type, info.Version, obj, old, opts);
        if (type.TracksGeneration && SpecChanged(type, old, obj))
        {
            meta["generation"] = Json.Long(oldMeta["generation"]) + 1;
        }

        if (!applied)
        {
            ManagedFieldsEntry.RecordUpdate(old, obj, type, info.Version, opts.Manager, info.Subresource,
                info.Subresource == "status" ? StatusPart.Only : type.HasStatus ? StatusPart.Exclude : StatusPart.Include, now);
        }

        ToStorageVersion(type, obj);
        if (EqualIgnoringManagedFieldTimes(old, obj))
        {
            return (old, 200);
        }

        if (opts.DryRun)
        {
            return (obj, 200);
        }

        bool finalized = meta["deletionTimestamp"] is not null && Json.StringList(meta["finalizers"]).Count == 0
            && !(type.Plural == "namespaces" && type.Group.Length == 0 && Json.StringList(obj["spec"]?["finalizers"]).Count > 0);
        var stored = storage.Commit(type.StoreKey, finalized ? WatchEventTypes.Deleted : WatchEventTypes.Modified, obj, old);
        controllers.AfterWrite(type, finalized ? null : stored.Object, old);
        return (stored.Object, 200);
    }

    private void Delete(HttpContext ctx, ResourceType type, RequestInfo info, string raw)
    {
        var options = raw.Trim().Length == 0 ? new JsonObject() : ParseJson(raw) as JsonObject ?? [];
        bool dryRun = WriteOptions.ParseDryRun(ctx, Json.StringList(options["dryRun"]));
        lock (storage.Gate)
        {
            var old = storage.Get(type.StoreKey, Storage.Key(info.Namespace, info.Name!))?.Object
                ?? throw StatusErrors.NotFound(type.Plural, type.Group, info.Name!);
            if (Json.Str(options["preconditions"]?["uid"]) is { Length: > 0 } uid && uid != Json.Str(old["metadata"]?["uid"]))
            {
                throw StatusErrors.Conflict(type.Plural, type.Group, info.Name!, "Precondition failed: UID in precondition: " + uid + ", UID in object meta: " + Json.Str(old["metadata"]?["uid"]));
            }

            if (Json.Str(options["preconditions"]?["resourceVersion"]) is { Length: > 0 } prv && prv != Json.Str(old["metadata"]?["resourceVersion"]))
            {
                throw StatusErrors.Conflict(type.Plural, type.Group, info.Name!, "Precondition failed: ResourceVersion in precondition: " + prv + ", ResourceVersion in object meta: " + Json.Str(old["metadata"]?["resourceVersion"]));
            }

            var (result, removed) = DeleteLocked(type, old, dryRun);
            if (removed && !type.ReturnsDeletedObject)
            {
                Http.WriteJson(ctx, 200, StatusErrors.Status(200, string.Empty, string.Empty,
                    StatusErrors.Details(info.Name, type.Group, type.Plural, uid: Json.Str(old["metadata"]?["uid"]))));
                return;
            }

            Http.WriteJson(ctx, 200, Render(type, info.Version, result));
        }
    }

    /// <summary>
    /// Deletes <paramref name="old"/>: an object with finalizers (or a namespace) only gets a deletionTimestamp and
    /// stays until its finalizers are gone; any other is removed. Holds the lock. Returns the object and whether it is gone.
    /// </summary>
    internal (JsonObject Result, bool Removed) DeleteLocked(ResourceType type, JsonObject old, bool dryRun)
    {
        bool isNamespace = type.Group.Length == 0 && type.Plural == "namespaces";
        bool finalizers = Json.StringList(old["metadata"]?["finalizers"]).Count > 0 || isNamespace;
        if (finalizers)
        {
            if (old["metadata"]?["deletionTimestamp"] is not null)
            {
                if (isNamespace)
                {
                    throw StatusErrors.Conflict(type.Plural, type.Group, Json.Name(old), "The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.");
                }

                return (old, false);
            }

            var marked = old.DeepClone().AsObject();
            var meta = Json.Meta(marked);
            meta["deletionTimestamp"] = Json.Time(DateTimeOffset.UtcNow);
            meta["deletionGracePeriodSeconds"] = 0;
            if (type.TracksGeneration)
            {
                meta["generation"] = Json.Long(meta["generation"]) + 1;
            }

            if (isNamespace)
            {
                marked["status"] = new JsonObject { ["phase"] = "Terminating" };
            }

            if (dryRun)
            {
                return (marked, false);
            }

            var stored = storage.Commit(type.StoreKey, WatchEventTypes.Modified, marked, old);
            controllers.AfterWrite(type, stored.Object, old);
            return (stored.Object, false);
        }

        var deleted = old.DeepClone().AsObject();
        if (dryRun)
        {
            return (deleted, true);
        }

        var gone = storage.Commit(type.StoreKey, WatchEventTypes.Deleted, deleted, old);
        controllers.AfterWrite(type, null, old);
        return (gone.Object, true);
    }

    private void DeleteCollection(HttpContext ctx, ResourceType type, RequestInfo info)
    {
        var labels = LabelSelector.Parse(ctx.Request.Query["labelSelector"]);
        var fields = FieldSelector.Parse(ctx.Request.Query["fieldSelector"], type);
        bool dryRun = WriteOptions.ParseDryRun(ctx, []);
        var items = new JsonArray();
        lock (storage.Gate)
        {
            var targets = storage.List(type.StoreKey, info.Namespace)
                .Where(o => (labels.IsEmpty || labels.Matches(Json.StringMap(o.Object["metadata"]?["labels"]))) && fields.Matches(o.Object))
                .Select(o => o.Object).ToList();
            foreach (var t in targets)
            {
                items.Add(Render(type, info.Version, DeleteLocked(type, t, dryRun).Result));
            }

            Http.WriteJson(ctx, 200, new JsonObject
            {
                ["apiVersion"] = type.ApiVersion(info.Version),
                ["kind"] = type.ListKind,
                ["metadata"] = new JsonObject { ["resourceVersion"] = storage.Revision.ToString(CultureInfo.InvariantCulture) },
                ["items"] = items,
            });
        }
    }

    private async Task PodLogAsync(HttpContext ctx, ResourceType type, RequestInfo info)
    {
        if (info.Verb != "get")
        {
            throw StatusErrors.MethodNotAllowed("the server does not allow this method on the requested resource");
        }

        List<string> containers, initContainers;
        lock (storage.Gate)
        {
            var pod = storage.Get(type.StoreKey, Storage.Key(info.Namespace, info.Name!))?.Object ?? throw StatusErrors.NotFound(type.Plural, type.Group, info.Name!);
            containers = (pod["spec"]?["containers"] as JsonArray)?.Select(c => Json.Str(c?["name"]) ?? string.Empty).ToList() ?? [];
            initContainers = (pod["spec"]?["initContainers"] as JsonArray)?.Select(c => Json.Str(c?["name"]) ?? string.Empty).ToList() ?? [];
        }
        string container = ctx.Request.Query["container"].ToString();
        if (container.Length == 0)
        {
            if (containers.Count != 1)
            {
                throw StatusErrors.BadRequest("a container name must be specified for pod " + info.Name + ", choose one of: [" + string.Join(" ", containers) + "]"
                    + (initContainers.Count > 0 ? " or one of the init containers: [" + string.Join(" ", initContainers) + "]" : string.Empty));
            }

            container = containers[0];
        }
        else if (!containers.Contains(container) && !initContainers.Contains(container))
        {
            throw StatusErrors.BadRequest("container " + container + " is not valid for pod " + info.Name);
        }

        string text = logs.Get(info.Namespace!, info.Name!, container) ?? string.Empty;
        if (int.TryParse(ctx.Request.Query["tailLines"], NumberStyles.None, CultureInfo.InvariantCulture, out int tail))
        {
            var lines = text.Split('\n');
            bool trailing = text.EndsWith('\n');
            var body = trailing ? lines[..^1] : lines;
            text = string.Join("\n", body.Skip(Math.Max(0, body.Length - tail))) + (trailing && tail > 0 ? "\n" : string.Empty);
        }

        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "text/plain";
        await ctx.Response.WriteAsync(text);
    }

    // ---- helpers ----

    private void Admit(HttpContext ctx, ResourceType type, string version, JsonObject obj, JsonObject? old, WriteOptions opts)
    {
        var errors = new List<FieldError>();
        var warnings = new List<string>();
        type.Behaviour.Admit(type, version, obj, old, errors, warnings);
        // Unknown fields are found while decoding, before validation: in Strict mode they are the error.
        opts.Warn(ctx, warnings);
        if (errors.Count > 0)
        {
            throw StatusErrors.Invalid(type.Kind, type.Group, Json.Name(obj), errors);
        }
    }

    private static bool SpecChanged(ResourceType type, JsonObject old, JsonObject obj)
    {
        var keys = old.Select(p => p.Key).Concat(obj.Select(p => p.Key)).Distinct().Where(k => k is not ("metadata" or "apiVersion" or "kind") && !(k == "status" && type.HasStatus));
        return keys.Any(k => !JsonNode.DeepEquals(old[k], obj[k]));
    }

    private static bool EqualIgnoringManagedFieldTimes(JsonObject a, JsonObject b)
    {
        static JsonObject Strip(JsonObject o)
        {
            var c = o.DeepClone().AsObject();
            if (c["metadata"]?["managedFields"] is JsonArray mf)
            {
                foreach (var e in mf.OfType<JsonObject>())
                {
                    e.Remove("time");
                }
            }

            return c;
        }

        return JsonNode.DeepEquals(Strip(a), Strip(b));
    }

    private static void CheckTypeMeta(JsonObject body, ResourceType type, string version)
    {
        if (!type.IsCustom)
        {
            Json.StripNulls(body);

            // Typed decoding defaults the kind and version of a built-in object from the endpoint.
            body["apiVersion"] ??= type.ApiVersion(version);
            body["kind"] ??= type.Kind;
        }

        string? apiVersion = Json.Str(body["apiVersion"]);
        string? kind = Json.Str(body["kind"]);
        if (string.IsNullOrEmpty(kind))
        {
            throw StatusErrors.BadRequest("Object 'Kind' is missing in '" + body.ToJsonString() + "'");
        }

        if (string.IsNullOrEmpty(apiVersion))
        {
            throw StatusErrors.BadRequest("Object 'apiVersion' is missing in '" + body.ToJsonString() + "'");
        }

        if (apiVersion != type.ApiVersion(version) && !(type.Versions.Any(v => type.ApiVersion(v) == apiVersion)))
        {
            throw StatusErrors.BadRequest("the API version in the data (" + apiVersion + ") does not match the expected API version (" + type.ApiVersion(version) + ")");
        }

        if (kind != type.Kind)
        {
            throw StatusErrors.BadRequest("the kind in the data (" + kind + ") does not match the expected kind (" + type.Kind + ")");
        }

        body["apiVersion"] = type.ApiVersion(version);
    }

    private static void CheckName(JsonObject body, RequestInfo info)
    {
        string name = Json.Name(body);
        if (name != info.Name)
        {
            throw StatusErrors.BadRequest("the name of the object (" + name + ") does not match the name on the URL (" + info.Name + ")");
        }
    }

    private static void PlaceInNamespace(JsonObject body, ResourceType type, RequestInfo info)
    {
        var meta = Json.Meta(body);
        if (!type.Namespaced)
        {
            meta.Remove("namespace");
            return;
        }

        if (info.Namespace is null)
        {
            throw StatusErrors.NotFoundPath();
        }

        string ns = Json.Str(meta["namespace"]) ?? string.Empty;
        if (ns.Length == 0)
        {
            meta["namespace"] = info.Namespace;
        }
        else if (ns != info.Namespace)
        {
            throw StatusErrors.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
    }

    private static void ToStorageVersion(ResourceType type, JsonObject obj) => obj["apiVersion"] = type.ApiVersion(type.StorageVersion);

    /// <summary>The object as the requested version shows it (conversion strategy None: only apiVersion changes).</summary>
    internal static JsonObject Render(ResourceType type, string version, JsonObject obj)
    {
        var copy = obj.DeepClone().AsObject();
        copy["apiVersion"] = type.ApiVersion(version);
        return copy;
    }

    private static byte[] RenderBytes(ResourceType type, string version, StoredObject stored) =>
        version == type.StorageVersion ? stored.Json : JsonSerializer.SerializeToUtf8Bytes(Render(type, version, stored.Object), Json.Compact);

    private void Respond(HttpContext ctx, ResourceType type, string version, JsonObject obj, int code) =>
        Http.WriteJson(ctx, code, Render(type, version, obj));

    private static async Task<string> ReadRawBodyAsync(HttpContext ctx)
    {
        using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(ctx.RequestAborted);
    }

    private static async Task<JsonObject> ReadBodyAsync(HttpContext ctx)
    {
        string raw = await ReadRawBodyAsync(ctx);
        string contentType = ctx.Request.ContentType ?? "application/json";
        var node = contentType.Contains("yaml", StringComparison.OrdinalIgnoreCase) ? ParseYamlOrJson(raw) : ParseJson(raw);
        return node as JsonObject ?? throw StatusErrors.BadRequest("the body of the request is not a JSON object");
    }

    private static JsonNode? ParseJson(string raw)
    {
        try
        {
            return JsonNode.Parse(raw);
        }
        catch (JsonException e)
        {
            throw StatusErrors.BadRequest("the body of the request was in an unknown format: " + e.Message);
        }
    }

    private static JsonNode? ParseYamlOrJson(string raw)
    {
        try
        {
            return JsonNode.Parse(raw);
        }
        catch (JsonException)
        {
            try
            {
                var docs = ManifestReader.Default.ReadString(raw, "request body");
                return docs.Count == 1 ? docs[0].Content : throw StatusErrors.BadRequest("error decoding YAML: expected one document");
            }
            catch (KratixException e)
            {
                throw StatusErrors.BadRequest("error decoding YAML: " + e.Message);
            }
        }
    }
}
