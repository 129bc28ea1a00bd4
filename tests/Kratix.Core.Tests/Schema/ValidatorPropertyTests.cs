using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Kratix.Manifests;
using Kratix.Schema;

namespace Kratix.Tests.Schema;

/// <summary>
/// Property-based: for the request schema of every shared upstream Promise, FsCheck generates requests that follow the
/// schema and mutations of them (values of the wrong type, nulls, unknown fields, numbers beyond int64 or float64
/// precision, metadata of every shape, duplicate keys in YAML and JSON text, apiVersion and kind of the wrong type), in
/// every field-validation mode. The validator must never throw, and must answer the same way twice for the same input.
/// </summary>
public class ValidatorPropertyTests
{
    private static readonly Lazy<List<(string Name, CustomResourceDefinition Crd)>> Crds = new(LoadCrds);

    private static List<(string Name, CustomResourceDefinition Crd)> LoadCrds()
    {
        var list = new List<(string, CustomResourceDefinition)>();
        foreach (var file in PromiseData.Files().Where(f => f.Role == "promise"))
        {
            foreach (var doc in TestYaml.LoadAll(File.ReadAllText(file.FullPath)).OfType<JsonObject>())
            {
                if (JsonData.GetString(doc["kind"]) != "Promise" || doc["spec"]?["api"] is not JsonObject api)
                {
                    continue;
                }

                try
                {
                    list.Add((file.Folder, CustomResourceDefinition.Parse(api)));
                }
                catch (KratixException)
                {
                    // A Promise whose API Kubernetes would refuse has no requests to validate.
                }
            }
        }

        return list;
    }

    private static readonly JsonNode?[] Oddities =
    [
        null, true, false, 0, -1, 1.5, long.MaxValue, long.MinValue, 1e20, -1e20, 9007199254740993d, 1e308, 5e-324,
        "", "x", "0", "true", "null", new string('a', 300), "é\u0000\uFFFD", "2024-01-01T00:00:00Z",
        new JsonObject(), new JsonArray(), new JsonObject { ["a"] = 1 }, new JsonArray(1, "b", null),
    ];

    private static readonly string[] Words = ["a", "b", "name", "spec", "metadata", "x-y", "A_B", "0", "", "k8s.io/x", "a/b/c", "é"];

    private static Gen<JsonNode?> Odd => Gen.Elements(Oddities).Select(n => n?.DeepClone());

    /// <summary>A value that follows the schema node (depth-limited), or an odd one now and then.</summary>
    private static Gen<JsonNode?> FromSchema(SchemaNode s, int depth)
    {
        if (depth > 6)
        {
            return Odd;
        }

        Gen<JsonNode?> typed;
        if (s.Enum is { Count: > 0 } values)
        {
            typed = Gen.Elements(values.ToArray()).Select(v => v?.DeepClone());
        }
        else
        {
            typed = s.Type switch
            {
                "string" => Gen.OneOf(Gen.Elements(Words), Gen.Elements("abc", "2024-01-01T00:00:00Z", "10.0.0.1", "https://x.io", "100Mi", "1.5"))
                    .Select(w => (JsonNode?)JsonValue.Create(w)),
                "integer" => Gen.OneOf(Gen.Choose(-10, 100).Select(i => (JsonNode?)JsonValue.Create((long)i)), Gen.Elements<JsonNode?>(2147483648L, long.MaxValue, 0)),
                "number" => Gen.Choose(-1000, 1000).Select(i => (JsonNode?)JsonValue.Create(i / 7.0)),
                "boolean" => Gen.Elements<JsonNode?>(true, false),
                "array" when s.Items is { } items => Gen.ListOf(FromSchema(items, depth + 1)).Select(l => (JsonNode?)new JsonArray(l.Take(4).Select(x => x?.DeepClone()).ToArray())),
                "object" => ObjectFrom(s, depth),
                _ => Odd,
            };
        }

        return Gen.Frequency((40, typed), (1, Odd));
    }

    private static Gen<JsonNode?> ObjectFrom(SchemaNode s, int depth)
    {
        var props = s.Properties.ToList();
        Gen<List<KeyValuePair<string, JsonNode?>>> fields = Gen.Constant(new List<KeyValuePair<string, JsonNode?>>());
        foreach (var (name, prop) in props)
        {
            var key = name;
            fields = fields.SelectMany(
                list => Gen.Frequency((3, FromSchema(prop, depth + 1).Select(v => (true, v))), (1, Gen.Constant((false, (JsonNode?)null)))),
                (list, pick) =>
                {
                    if (pick.Item1)
                    {
                        list = [.. list, new(key, pick.Item2)];
                    }

                    return list;
                });
        }

        if (s.AdditionalProperties is { } ap)
        {
            fields = fields.SelectMany(
                list => Gen.ListOf(Gen.Zip(Gen.Elements(Words), FromSchema(ap, depth + 1))),
                (list, extra) => list.Concat(extra.Take(3).Select(e => new KeyValuePair<string, JsonNode?>(e.Item1, e.Item2))).ToList());
        }

        return fields.Select(list =>
        {
            var o = new JsonObject();
            foreach (var (k, v) in list)
            {
                o[k] = v?.DeepClone();
            }

            return (JsonNode?)o;
        });
    }

    private static readonly JsonNode?[] OddMetadata =
    [
        new JsonObject { ["generateName"] = "gen-", ["namespace"] = "default" },
        new JsonObject { ["name"] = "a", ["namespace"] = "default", ["labels"] = new JsonObject { ["a/b/c"] = "x", ["k"] = 1 } },
        new JsonObject { ["name"] = "a", ["namespace"] = "default", ["ownerReferences"] = new JsonArray(new JsonObject { ["kind"] = "X", ["controller"] = "no" }) },
        new JsonObject { ["name"] = "a", ["namespace"] = "default", ["finalizers"] = new JsonArray("orphan", "foregroundDeletion", null, 3) },
        new JsonObject { ["name"] = "a", ["namespace"] = "default", ["managedFields"] = new JsonArray(new JsonObject { ["operation"] = "X", ["manager"] = "\u0001" }), ["colour"] = 1 },
        new JsonObject { ["name"] = "a", ["namespace"] = "default", ["creationTimestamp"] = "2024-02-30T00:00:00Z", ["generation"] = -1 },
        new JsonObject { ["name"] = 7 },
        null,
    ];

    private static Gen<JsonNode?> Metadata
    {
        get
        {
            Gen<JsonNode?> plain = Gen.Elements("a", "my-req", "a", "Bad_Name")
                .SelectMany(name => Gen.Elements("default", "default", "default", "Bad.Ns"), (name, ns) => (JsonNode?)new JsonObject { ["name"] = name, ["namespace"] = ns });
            Gen<JsonNode?> odd = Gen.Elements(OddMetadata).Select(n => n?.DeepClone());
            return Gen.Frequency((12, plain), (2, odd), (1, Odd));
        }
    }

    /// <summary>A request for <paramref name="crd"/>: its spec from the schema, then a few mutations.</summary>
    private static Gen<JsonObject> Request(CustomResourceDefinition crd)
    {
        var version = crd.Versions.Where(v => v.Served).ToArray();
        return Gen.Elements(version).SelectMany(
            v => Gen.Zip(FromSchema(v.StructuralSchema!.Root, 0), Metadata),
            (v, pair) =>
            {
                var request = pair.Item1?.DeepClone() as JsonObject ?? new JsonObject();
                request["apiVersion"] = crd.Group + "/" + v.Name;
                request["kind"] = crd.Names.Kind;
                request["metadata"] = pair.Item2?.DeepClone();
                return request;
            }).SelectMany(r => Gen.Frequency((3, Gen.Constant(0)), (2, Gen.Choose(1, 3)))
                .SelectMany(n => Gen.ListOf(Mutation).Select(ms => ms.Take(n).Aggregate(r.DeepClone().AsObject(), (acc, m) => m(acc)))));
    }

    private static readonly Gen<Func<JsonObject, JsonObject>> Mutation = Gen.OneOf(
        Gen.Zip(Gen.Choose(0, 1000), Odd).Select(p => (Func<JsonObject, JsonObject>)(r => ReplaceSomewhere(r, p.Item1, p.Item2))),
        Gen.Elements(Words).Select(w => (Func<JsonObject, JsonObject>)(r =>
        {
            if (r["spec"] is JsonObject spec)
            {
                spec["unknown-" + w] = 1;
            }

            return r;
        })),
        Gen.Elements<JsonNode?>(5, null, true, new JsonArray(), "Other", "wrong/v9").Select(v => (Func<JsonObject, JsonObject>)(r =>
        {
            r[v is JsonValue { } s && s.GetValueKind() == System.Text.Json.JsonValueKind.String ? "apiVersion" : "kind"] = v?.DeepClone();
            return r;
        })),
        Gen.Constant<Func<JsonObject, JsonObject>>(r =>
        {
            r.Remove("spec");
            return r;
        }));

    /// <summary>Replaces the <paramref name="n"/>th value of a depth-first walk (modulo their count) with <paramref name="value"/>.</summary>
    private static JsonObject ReplaceSomewhere(JsonObject root, int n, JsonNode? value)
    {
        var slots = new List<(JsonNode Parent, object Key)>();
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (k, v) in o)
                    {
                        slots.Add((o, k));
                        Walk(v);
                    }

                    break;
                case JsonArray a:
                    for (int i = 0; i < a.Count; i++)
                    {
                        slots.Add((a, i));
                        Walk(a[i]);
                    }

                    break;
            }
        }

        Walk(root);
        if (slots.Count > 0)
        {
            var (parent, key) = slots[n % slots.Count];
            if (parent is JsonObject o)
            {
                o[(string)key] = value?.DeepClone();
            }
            else
            {
                ((JsonArray)parent)[(int)key] = value?.DeepClone();
            }
        }

        return root;
    }

    private static string Outcome(JsonObject request, CustomResourceDefinition crd, FieldValidationMode mode, IReadOnlyList<string> decodingErrors)
    {
        var copy = request.DeepClone().AsObject();
        var result = RequestValidator.Validate(copy, crd, new RequestValidationOptions { FieldValidation = mode, DecodingErrors = decodingErrors });

        // A name generated from generateName is random by design, in the object and in any error about it (an invalid
        // generateName makes an invalid name); everything else must be the same every time.
        string? generated = null;
        if (copy["metadata"] is JsonObject meta && meta["generateName"] is not null)
        {
            generated = (meta["name"] as JsonValue)?.TryGetValue<string>(out var name) == true ? name : null;
            meta.Remove("name");
        }

        var outcome = string.Join("\n", [result.DecodeError ?? "-", .. result.Errors.Select(e => e.ToString()), "--", .. result.Warnings, "--", GoFormat.MarshalJson(copy)]);
        return generated is { Length: > 0 } ? outcome.Replace(generated, "<generated>", StringComparison.Ordinal).Replace(GoFormat.Quote(generated), "<generated>", StringComparison.Ordinal) : outcome;
    }

    [Fact]
    public void TheSharedPromisesGiveSchemasToGenerateFrom()
    {
        Assert.True(Crds.Value.Count >= 30, $"only {Crds.Value.Count} Promise APIs parsed");
    }

    [Fact]
    public void An_invalid_generateName_answers_the_same_twice_but_for_the_random_name()
    {
        // Found by the property below: the generated name is in the error about it, and differs on every call.
        var (_, crd) = Crds.Value[0];
        var version = crd.Versions.First(v => v.Served);
        var request = new JsonObject
        {
            ["apiVersion"] = $"{crd.Group}/{version.Name}",
            ["kind"] = crd.Names.Kind,
            ["metadata"] = new JsonObject { ["generateName"] = "\u00E9\u0000\uFFFD", ["namespace"] = "default" },
        };

        var first = Outcome(request, crd, FieldValidationMode.Ignore, []);

        Assert.Equal(first, Outcome(request, crd, FieldValidationMode.Ignore, []));
        Assert.Contains("<generated>", first);
    }

    [Fact]
    public void NeverThrows_AndAnswersDeterministically_ForGeneratedAndMutatedRequests()
    {
        var crds = Crds.Value;
        var cases = Gen.Elements(crds.Select((c, i) => i).ToArray())
            .SelectMany(i => Request(crds[i].Crd), (i, request) => (Index: i, Request: request))
            .SelectMany(_ => Gen.Elements(Enum.GetValues<FieldValidationMode>()), (c, mode) => (c.Index, c.Request, Mode: mode));

        int valid = 0, invalid = 0, badRequest = 0;
        var property = Prop.ForAll(Arb.From(cases), c =>
        {
            var (_, crd) = crds[c.Index];
            var first = Outcome(c.Request, crd, c.Mode, []);
            var second = Outcome(c.Request, crd, c.Mode, []);
            if (first.StartsWith("-\n--", StringComparison.Ordinal))
            {
                valid++;
            }
            else if (first.StartsWith("-\n", StringComparison.Ordinal))
            {
                invalid++;
            }
            else
            {
                badRequest++;
            }

            return first == second;
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(600).WithQuietOnSuccess(true), property);

        // The generator reaches all three answers: accepted, refused with field errors, refused as a bad request.
        Assert.True(valid > 20 && invalid > 20 && badRequest > 20, $"valid {valid}, invalid {invalid}, bad request {badRequest}");
    }

    [Fact]
    public void DuplicateKeysInYamlAndJsonText_NeverThrow_AndAnswerDeterministically()
    {
        var crds = Crds.Value;
        var cases = Gen.Elements(crds.Select((c, i) => i).ToArray())
            .SelectMany(i => Request(crds[i].Crd), (i, request) => (Index: i, Request: request))
            .SelectMany(_ => Gen.Zip(Gen.Elements(Enum.GetValues<FieldValidationMode>()), Gen.Elements(true, false)), (c, p) => (c.Index, c.Request, Mode: p.Item1, Json: p.Item2));

        var property = Prop.ForAll(Arb.From(cases), c =>
        {
            var (_, crd) = crds[c.Index];

            // The document written out with its first key of each mapping given twice.
            var text = c.Json ? DuplicateFirstKeys(c.Request.ToJsonString()) : ManifestWriter.ToYaml(c.Request) + "apiVersion: " + GoFormat.MarshalJson(c.Request["apiVersion"]) + "\n";
            var document = ManifestReader.Recording.ReadString(text, "generated").Single();
            var request = (JsonObject)document.Content!;
            var first = Outcome(request, crd, c.Mode, document.StrictDecodingErrors);
            var second = Outcome(request, crd, c.Mode, document.StrictDecodingErrors);
            return first == second && (document.DuplicateKeys.Count > 0 || !c.Json || !text.Contains("{\"", StringComparison.Ordinal));
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300).WithQuietOnSuccess(true), property);
    }

    /// <summary>Repeats the first member of every JSON object: <c>{"a":1,...}</c> becomes <c>{"a":1,"a":1,...}</c>.</summary>
    private static string DuplicateFirstKeys(string json)
    {
        var node = JsonNode.Parse(json);
        return Write(node);

        static string Write(JsonNode? n) => n switch
        {
            JsonObject o when o.Count > 0 => "{" + string.Join(",", new[] { o.First() }.Concat(o).Select(kv => JsonValue.Create(kv.Key)!.ToJsonString() + ":" + Write(kv.Value))) + "}",
            JsonObject => "{}",
            JsonArray a => "[" + string.Join(",", a.Select(Write)) + "]",
            null => "null",
            _ => n.ToJsonString(),
        };
    }
}
