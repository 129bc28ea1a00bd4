using System.Globalization;

namespace Kratix.Schema;

/// <summary>
/// The checks Kubernetes makes on a CRD's <c>openAPIV3Schema</c> before it accepts the CRD
/// (apiextensions validation.go and schema/validation.go): keywords CRDs do not support, structural-schema rules
/// (a <c>type</c> everywhere, <c>items</c> for arrays, nothing structural inside allOf/anyOf/oneOf/not, metadata
/// restricted to name and generateName), the x-kubernetes-* extension rules and valid defaults.
/// </summary>
internal static class CrdSchemaRules
{
    private static readonly string[] OpenApiTypes = ["array", "boolean", "integer", "number", "object", "string"];

    private enum Level
    {
        Root,
        Item,
        Field,
    }

    public static void Check(SchemaNode root, string path, List<FieldError> errors)
    {
        var total = new CelTotalCost();
        CheckNode(root, path, Level.Root, insideMeta: false, defaultsForbiddenReason: null, errors, uncorrelatable: null, new CelScope(1, total));
        if (root.Nullable)
        {
            errors.Add(FieldError.Forbidden(path + ".nullable", "nullable cannot be true at the root"));
        }

        CheckDefaults(root, path, insideMeta: false, errors);
        if (total.Total > CelRuleCompiler.TotalLimit)
        {
            foreach (var (rulePath, _) in total.MostExpensive)
            {
                errors.Add(FieldError.Forbidden(rulePath, "contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 schema"));
            }

            errors.Add(FieldError.Forbidden(path, CelRuleCompiler.CostErrorMessage("x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema", total.Total, CelRuleCompiler.TotalLimit)));
        }
    }

    /// <summary>CELSchemaContext: how many times a node's rules can run per request (null: unbounded) and the schema's total cost.</summary>
    private sealed record CelScope(ulong? Cardinality, CelTotalCost Total)
    {
        public CelScope Child(SchemaNode parent) =>
            this with { Cardinality = Cardinality is { } c && CelRuleCompiler.MaxElements(parent) is { } m ? CelCost.MulSat(c, m) : null };
    }

    private static void CheckNode(SchemaNode s, string path, Level lvl, bool insideMeta, string? defaultsForbiddenReason, List<FieldError> errors, string? uncorrelatable, CelScope cel)
    {
        // specStandardValidatorV3
        if (!string.IsNullOrEmpty(s.Type) && Array.IndexOf(OpenApiTypes, s.Type) < 0)
        {
            errors.Add(FieldError.NotSupported(path + ".type", s.Type, OpenApiTypes));
        }

        if (s.Default is not null && defaultsForbiddenReason is not null)
        {
            errors.Add(FieldError.Forbidden(path + ".default", "must not be set " + defaultsForbiddenReason));
        }

        foreach (var k in s.ForbiddenKeywords)
        {
            errors.Add(FieldError.Forbidden(path + "." + k, k + " is not supported"));
        }

        if (s.TypeIsNull)
        {
            errors.Add(FieldError.Forbidden(path + ".type", "type cannot be set to null, use nullable as an alternative"));
        }

        if (s.ItemsIsArray)
        {
            errors.Add(FieldError.Forbidden(path + ".items", "items must be a schema object and not an array"));
        }

        if (insideMeta && s.EmbeddedResource)
        {
            errors.Add(FieldError.Forbidden(path + ".x-kubernetes-embedded-resource", "must not be used inside of resource meta"));
        }

        if (s.UniqueItems)
        {
            errors.Add(FieldError.Forbidden(path + ".uniqueItems", "uniqueItems cannot be set to true since the runtime complexity becomes quadratic"));
        }

        if (s.HasAdditionalPropertiesKeyword && s.Properties.Count != 0 && (!s.AdditionalPropertiesAllowed || !s.AdditionalPropertiesIsTrue))
        {
            errors.Add(FieldError.Forbidden(path + ".additionalProperties", "additionalProperties and properties are mutual exclusive"));
        }

        if (s.PreserveUnknownFieldsKeyword == false)
        {
            errors.Add(FieldError.Invalid(path + ".x-kubernetes-preserve-unknown-fields", false, "must be true or undefined"));
        }

        CheckExtensions(s, path, errors);
        CheckValidationRules(s, path, uncorrelatable, errors, cel, isResourceRoot: lvl == Level.Root || s.EmbeddedResource);

        // ValidateStructural
        if (s.Type == "array" && s.Items is null)
        {
            errors.Add(FieldError.Required(path + ".items", "must be specified"));
        }

        if (s.HasAdditionalPropertiesKeyword && lvl == Level.Root)
        {
            errors.Add(FieldError.Forbidden(path + ".additionalProperties", "must not be used at the root"));
        }

        if (s.IntOrString && s.PreserveUnknownFields)
        {
            errors.Add(FieldError.Invalid(path + ".x-kubernetes-preserve-unknown-fields", true, "must be false if x-kubernetes-int-or-string is true"));
        }

        if (s.IntOrString && s.EmbeddedResource)
        {
            errors.Add(FieldError.Invalid(path + ".x-kubernetes-embedded-resource", true, "must be false if x-kubernetes-int-or-string is true"));
        }

        bool skipAnyOf = IsIntOrStringAnyOf(s.AnyOf);
        bool skipFirstAllOfAnyOf = s.AllOf.Count > 0 && IsIntOrStringAnyOf(s.AllOf[0].AnyOf);
        for (int i = 0; i < s.AnyOf.Count; i++)
        {
            if (!skipAnyOf)
            {
                CheckNested(s.AnyOf[i], Idx(path + ".anyOf", i), lvl, false, errors);
            }
        }

        for (int i = 0; i < s.AllOf.Count; i++)
        {
            CheckNested(s.AllOf[i], Idx(path + ".allOf", i), lvl, skipFirstAllOfAnyOf && i == 0, errors);
        }

        for (int i = 0; i < s.OneOf.Count; i++)
        {
            CheckNested(s.OneOf[i], Idx(path + ".oneOf", i), lvl, false, errors);
        }

        if (s.Not is not null)
        {
            CheckNested(s.Not, path + ".not", lvl, false, errors);
        }

        CheckCompleteness(s, path, path, errors);

        if (s.EmbeddedResource && s.Type != "object")
        {
            errors.Add(string.IsNullOrEmpty(s.Type)
                ? FieldError.Required(path + ".type", "must be object if x-kubernetes-embedded-resource is true")
                : FieldError.Invalid(path + ".type", s.Type, "must be object if x-kubernetes-embedded-resource is true"));
        }
        else if (string.IsNullOrEmpty(s.Type) && !s.IntOrString && !s.PreserveUnknownFields)
        {
            string detail = lvl switch
            {
                Level.Root => "must not be empty at the root",
                Level.Item => "must not be empty for specified array items",
                _ => "must not be empty for specified object fields",
            };
            errors.Add(FieldError.Required(path + ".type", detail));
        }

        if (s.EmbeddedResource && s.HasAdditionalPropertiesKeyword)
        {
            errors.Add(FieldError.Forbidden(path + ".additionalProperties", "must not be used if x-kubernetes-embedded-resource is set"));
        }

        if (lvl == Level.Root && !string.IsNullOrEmpty(s.Type) && s.Type != "object")
        {
            errors.Add(FieldError.Invalid(path + ".type", s.Type, "must be object at the root"));
        }

        bool checkMetadata = lvl == Level.Root || s.EmbeddedResource;
        if (checkMetadata)
        {
            foreach (var k in new[] { "kind", "apiVersion" })
            {
                if (s.Properties.TryGetValue(k, out var p) && p.Type != "string")
                {
                    errors.Add(FieldError.Invalid(path + ".properties[" + k + "].type", p.Type ?? string.Empty, "must be string"));
                }
            }
        }

        if (s.Properties.TryGetValue("metadata", out var meta))
        {
            string mp = path + ".properties[metadata]";
            if (checkMetadata && meta.Type != "object")
            {
                errors.Add(FieldError.Invalid(mp + ".type", meta.Type ?? string.Empty, "must be object"));
            }

            if (lvl == Level.Root)
            {
                bool onlyNames = meta.Properties.Keys.All(k => k is "name" or "generateName");
                bool nothingElse = onlyNames && meta.Items is null && !meta.HasAdditionalPropertiesKeyword && meta.Required.Count == 0
                    && meta.Enum is null && !meta.HasValueValidations && meta.MinProperties is null && meta.MaxProperties is null
                    && !meta.PreserveUnknownFields && !meta.EmbeddedResource && !meta.Nullable && meta.Validations.Count == 0;
                if (!nothingElse)
                {
                    errors.Add(FieldError.Forbidden(mp, "must not specify anything other than name and generateName, but metadata is implicitly specified"));
                }
            }
        }

        if (s.EmbeddedResource && !s.PreserveUnknownFields && s.Properties.Count == 0)
        {
            errors.Add(FieldError.Required(path + ".properties", "must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields"));
        }

        // children
        foreach (var (k, p) in s.Properties)
        {
            bool childMeta = insideMeta;
            string? childReason = defaultsForbiddenReason;
            if ((lvl == Level.Root || s.EmbeddedResource) && k is "metadata" or "kind" or "apiVersion")
            {
                childMeta = true;
                if (lvl == Level.Root)
                {
                    childReason = "in top-level " + k;
                }
            }

            CheckNode(p, path + ".properties[" + k + "]", Level.Field, childMeta, childReason, errors, uncorrelatable ?? (s.MapType == "atomic" ? path : null), cel.Child(s));
        }

        if (s.Items is not null)
        {
            // Only the items of x-kubernetes-list-type: map lists correlate between revisions (for oldSelf).
            CheckNode(s.Items, path + ".items", Level.Item, insideMeta, defaultsForbiddenReason, errors, uncorrelatable ?? (s.ListType != "map" ? path : null), cel.Child(s));
        }

        if (s.AdditionalProperties is not null && !s.AdditionalPropertiesIsTrue)
        {
            string? reason = insideMeta ? "inside additionalProperties applying to object metadata" : defaultsForbiddenReason;
            CheckNode(s.AdditionalProperties, path + ".additionalProperties", Level.Field, insideMeta, reason, errors, uncorrelatable ?? (s.MapType == "atomic" ? path : null), cel.Child(s));
        }
    }

    private static readonly string[] ValidationReasons = ["FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"];

    /// <summary>
    /// The checks apiextensions makes on each x-kubernetes-validations rule when a CRD is created: rule, message,
    /// messageExpression, reason and fieldPath well formed; the rule compiles (a syntax error is refused with cel-go's
    /// message), type-checks against the schema and evaluates to a bool (<see cref="CelRuleCompiler"/>); its estimated
    /// cost, times the node's cardinality, stays within the per-expression limit (and counts towards the schema's total);
    /// oldSelf only where values correlate; optionalOldSelf only with oldSelf.
    /// </summary>
    private static void CheckValidationRules(SchemaNode s, string path, string? uncorrelatable, List<FieldError> errors, CelScope cel, bool isResourceRoot)
    {
        var schemaErrors = new List<FieldError>();
        for (int i = 0; i < s.Validations.Count; i++)
        {
            var rule = s.Validations[i];
            string rp = Idx(path + ".x-kubernetes-validations", i);
            string trimmedRule = rule.Rule.Trim();
            string trimmedMsg = (rule.Message ?? string.Empty).Trim();
            if (trimmedRule.Length == 0)
            {
                continue; // reported while parsing ("rule is not specified")
            }

            if (!string.IsNullOrEmpty(rule.Message) && trimmedMsg.Length == 0)
            {
                schemaErrors.Add(FieldError.Invalid(rp + ".message", rule.Message, "must be non-empty if specified"));
            }
            else if (trimmedMsg.Contains('\n') || trimmedMsg.Contains('\r'))
            {
                schemaErrors.Add(FieldError.Invalid(rp + ".message", rule.Message, "must not contain line breaks"));
            }
            else if ((trimmedRule.Contains('\n') || trimmedRule.Contains('\r')) && trimmedMsg.Length == 0)
            {
                schemaErrors.Add(FieldError.Required(rp + ".message", "message must be specified if rule contains line breaks"));
            }

            if (!string.IsNullOrEmpty(rule.MessageExpression) && rule.MessageExpression.Trim().Length == 0)
            {
                schemaErrors.Add(FieldError.Required(rp + ".messageExpression", "messageExpression must be non-empty if specified"));
            }

            if (rule.Reason is not null && Array.IndexOf(ValidationReasons, rule.Reason) < 0)
            {
                schemaErrors.Add(FieldError.NotSupported(rp + ".reason", rule.Reason, ValidationReasons));
            }

            if (rule.FieldPath is { Length: > 0 } fp)
            {
                if (fp.Trim().Length == 0)
                {
                    schemaErrors.Add(FieldError.Invalid(rp + ".fieldPath", fp, "must be non-empty if specified"));
                }

                if (fp.Contains('\n') || fp.Contains('\r'))
                {
                    schemaErrors.Add(FieldError.Invalid(rp + ".fieldPath", fp, "must not contain line breaks"));
                }

                if (!CelValidator.FieldPathValid(s, fp))
                {
                    schemaErrors.Add(FieldError.Invalid(rp + ".fieldPath", fp, "must be a valid path"));
                }
            }
        }

        errors.AddRange(schemaErrors);
        if (schemaErrors.Count > 0)
        {
            return; // as upstream, no CEL compilation once a rule is malformed
        }

        for (int i = 0; i < s.Validations.Count; i++)
        {
            var rule = s.Validations[i];
            string rp = Idx(path + ".x-kubernetes-validations", i);
            if (rule.Rule.Trim().Length == 0)
            {
                continue;
            }

            var compiled = CelRuleCompiler.Compile(s, rule, isResourceRoot);
            if (compiled is null)
            {
                continue;
            }

            string rulePath = rp + ".rule";
            ulong cost = CelRuleCompiler.ExpressionCost(compiled.MaxCost, cel.Cardinality, compiled.MaxCardinality);
            if (cost > CelRuleCompiler.PerExpressionLimit)
            {
                errors.Add(FieldError.Forbidden(rulePath, CelRuleCompiler.CostErrorMessage("estimated rule cost", cost, CelRuleCompiler.PerExpressionLimit)));
            }

            cel.Total.Observe(rulePath, cost);
            if (compiled.Error is { } error)
            {
                errors.Add(FieldError.Invalid(rulePath, new GoJsonText(rule.GoJson()), error));
            }

            if (compiled.MessageExpressionError is { } messageError)
            {
                errors.Add(FieldError.Invalid(rp + ".messageExpression", new GoJsonText(rule.GoJson()), messageError));
            }
            else if (!string.IsNullOrEmpty(rule.MessageExpression) && compiled.Error is null)
            {
                ulong messageCost = compiled.MessageExpressionMaxCost;
                if (messageCost > CelRuleCompiler.PerExpressionLimit)
                {
                    errors.Add(FieldError.Forbidden(rp + ".messageExpression", CelRuleCompiler.CostErrorMessage("estimated messageExpression cost", messageCost, CelRuleCompiler.PerExpressionLimit)));
                }

                cel.Total.Observe(rp + ".messageExpression", messageCost);
            }

            if (compiled.UsesOldSelf)
            {
                if (uncorrelatable is not null)
                {
                    errors.Add(FieldError.Invalid(rp + ".rule", rule.Rule, "oldSelf cannot be used on the uncorrelatable portion of the schema within " + uncorrelatable));
                }
            }
            else if (rule.OptionalOldSelf is { } optional)
            {
                errors.Add(FieldError.Invalid(rp + ".optionalOldSelf", optional, "may not be set if oldSelf is not used in rule"));
            }
        }
    }

    private static void CheckExtensions(SchemaNode s, string path, List<FieldError> errors)
    {
        if (s.MapType is not null)
        {
            if (s.Type != "object")
            {
                errors.Add(string.IsNullOrEmpty(s.Type)
                    ? FieldError.Required(path + ".type", "must be object if x-kubernetes-map-type is specified")
                    : FieldError.Invalid(path + ".type", s.Type, "must be object if x-kubernetes-map-type is specified"));
            }

            if (s.MapType is not ("atomic" or "granular"))
            {
                errors.Add(FieldError.NotSupported(path + ".x-kubernetes-map-type", s.MapType, ["atomic", "granular"]));
            }
        }

        if (s.ListType is not null)
        {
            if (s.Type != "array")
            {
                errors.Add(string.IsNullOrEmpty(s.Type)
                    ? FieldError.Required(path + ".type", "must be array if x-kubernetes-list-type is specified")
                    : FieldError.Invalid(path + ".type", s.Type, "must be array if x-kubernetes-list-type is specified"));
            }
            else if (s.ListType == "set" && s.Items is not null)
            {
                if (s.Items.ListType is not null && s.Items.ListType != "atomic")
                {
                    errors.Add(FieldError.Invalid(path + ".items.x-kubernetes-list-type", s.Items.ListType, "must be atomic as item of a list with x-kubernetes-list-type=set"));
                }

                if (s.Items.MapType is not null && s.Items.MapType != "atomic")
                {
                    errors.Add(FieldError.Invalid(path + ".items.x-kubernetes-map-type", s.Items.MapType, "must be atomic as item of a list with x-kubernetes-list-type=set"));
                }
            }

            if (s.ListType is not ("atomic" or "set" or "map"))
            {
                errors.Add(FieldError.NotSupported(path + ".x-kubernetes-list-type", s.ListType, ["atomic", "set", "map"]));
            }
        }

        if (s.ListMapKeys.Count > 0 && s.ListType != "map")
        {
            errors.Add(s.ListType is null
                ? FieldError.Required(path + ".x-kubernetes-list-type", "must be map if x-kubernetes-list-map-keys is non-empty")
                : FieldError.Invalid(path + ".x-kubernetes-list-type", s.ListType, "must be map if x-kubernetes-list-map-keys is non-empty"));
        }

        if (s.ListType == "map")
        {
            if (s.ListMapKeys.Count == 0)
            {
                errors.Add(FieldError.Required(path + ".x-kubernetes-list-map-keys", "must not be empty if x-kubernetes-list-type is map"));
            }

            if (s.Items is null)
            {
                errors.Add(FieldError.Required(path + ".items", "must have a schema if x-kubernetes-list-type is map"));
            }
            else
            {
                if (s.Items.Type != "object")
                {
                    errors.Add(FieldError.Invalid(path + ".items.type", s.Items.Type ?? string.Empty, "must be object if parent array's x-kubernetes-list-type is map"));
                }
                else
                {
                    foreach (var k in s.ListMapKeys)
                    {
                        if (s.Items.Properties.TryGetValue(k, out var kp))
                        {
                            if (kp.Type is not ("string" or "integer" or "number" or "boolean") && !kp.IntOrString)
                            {
                                errors.Add(FieldError.Invalid(path + ".items.properties[" + k + "].type", kp.Type ?? string.Empty, "must be a scalar type if parent array's x-kubernetes-list-type is map"));
                            }
                        }
                        else
                        {
                            errors.Add(FieldError.Invalid(path + ".x-kubernetes-list-map-keys", s.ListMapKeys.ToList(), "entries must all be names of item properties"));
                            break;
                        }
                    }

                    if (s.ListMapKeys.Distinct(StringComparer.Ordinal).Count() != s.ListMapKeys.Count)
                    {
                        errors.Add(FieldError.Invalid(path + ".x-kubernetes-list-map-keys", s.ListMapKeys.ToList(), "must not contain duplicate entries"));
                    }

                    foreach (var k in s.ListMapKeys)
                    {
                        if (s.Items.Properties.TryGetValue(k, out var kp))
                        {
                            if (!s.Items.Required.Contains(k) && kp.Default is null)
                            {
                                errors.Add(FieldError.Required(path + ".items.properties[" + k + "].default", "this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property"));
                            }

                            if (kp.Nullable)
                            {
                                errors.Add(FieldError.Forbidden(path + ".items.properties[" + k + "].nullable", "this property is in x-kubernetes-list-map-keys, so it cannot be nullable"));
                            }
                        }
                    }
                }
            }
        }

        if (s.ListType is "set" or "map" && s.Items is { Nullable: true })
        {
            errors.Add(FieldError.Forbidden(path + ".items.nullable", "cannot be nullable when x-kubernetes-list-type is " + s.ListType));
        }
    }

    private static bool IsIntOrStringAnyOf(IReadOnlyList<SchemaNode> anyOf) =>
        anyOf.Count == 2 && IsOnlyType(anyOf[0], "integer") && IsOnlyType(anyOf[1], "string");

    private static bool IsOnlyType(SchemaNode n, string type) =>
        n.Type == type && n.Properties.Count == 0 && n.Items is null && n.AdditionalProperties is null && n.Default is null
        && !n.Nullable && n.Description is null && !n.HasValueValidations && n.Enum is null && n.Pattern is null && n.Format is null
        && n.Minimum is null && n.Maximum is null && n.MinLength is null && n.MaxLength is null;

    /// <summary>validateNestedValueValidation: nothing structural inside allOf/anyOf/oneOf/not.</summary>
    private static void CheckNested(SchemaNode v, string path, Level lvl, bool skipAnyOf, List<FieldError> errors)
    {
        foreach (var k in v.ForbiddenKeywords)
        {
            errors.Add(FieldError.Forbidden(path + "." + k, k + " is not supported"));
        }

        if (v.UniqueItems)
        {
            errors.Add(FieldError.Forbidden(path + ".uniqueItems", "uniqueItems cannot be set to true since the runtime complexity becomes quadratic"));
        }

        for (int i = 0; i < v.AnyOf.Count && !skipAnyOf; i++)
        {
            CheckNested(v.AnyOf[i], Idx(path + ".anyOf", i), lvl, false, errors);
        }

        for (int i = 0; i < v.AllOf.Count; i++)
        {
            CheckNested(v.AllOf[i], Idx(path + ".allOf", i), lvl, false, errors);
        }

        for (int i = 0; i < v.OneOf.Count; i++)
        {
            CheckNested(v.OneOf[i], Idx(path + ".oneOf", i), lvl, false, errors);
        }

        if (v.Not is not null)
        {
            CheckNested(v.Not, path + ".not", lvl, false, errors);
        }

        if (v.Items is not null)
        {
            CheckNested(v.Items, path + ".items", lvl, false, errors);
        }

        foreach (var (k, p) in v.Properties)
        {
            CheckNested(p, path + ".properties[" + k + "]", Level.Field, false, errors);
        }

        if (!string.IsNullOrEmpty(v.Type))
        {
            errors.Add(FieldError.Forbidden(path + ".type", "must be empty to be structural"));
        }

        if (v.HasAdditionalPropertiesKeyword)
        {
            errors.Add(FieldError.Forbidden(path + ".additionalProperties", "must be undefined to be structural"));
        }

        if (v.Default is not null)
        {
            errors.Add(FieldError.Forbidden(path + ".default", "must be undefined to be structural"));
        }

        if (v.HasTitle)
        {
            errors.Add(FieldError.Forbidden(path + ".title", "must be empty to be structural"));
        }

        if (!string.IsNullOrEmpty(v.Description))
        {
            errors.Add(FieldError.Forbidden(path + ".description", "must be empty to be structural"));
        }

        if (v.Nullable)
        {
            errors.Add(FieldError.Forbidden(path + ".nullable", "must be false to be structural"));
        }

        if (v.PreserveUnknownFields)
        {
            errors.Add(FieldError.Forbidden(path + ".x-kubernetes-preserve-unknown-fields", "must be false to be structural"));
        }

        if (v.EmbeddedResource)
        {
            errors.Add(FieldError.Forbidden(path + ".x-kubernetes-embedded-resource", "must be false to be structural"));
        }

        if (v.IntOrString)
        {
            errors.Add(FieldError.Forbidden(path + ".x-kubernetes-int-or-string", "must be false to be structural"));
        }

        if (v.ListMapKeys.Count > 0)
        {
            errors.Add(FieldError.Forbidden(path + ".x-kubernetes-list-map-keys", "must be empty to be structural"));
        }

        if (v.ListType is not null)
        {
            errors.Add(FieldError.Forbidden(path + ".x-kubernetes-list-type", "must be undefined to be structural"));
        }

        if (v.MapType is not null)
        {
            errors.Add(FieldError.Forbidden(path + ".x-kubernetes-map-type", "must be undefined to be structural"));
        }

        if (v.Validations.Count > 0)
        {
            errors.Add(FieldError.Forbidden(path + ".x-kubernetes-validations", "must be empty to be structural"));
        }

        if (v.Properties.ContainsKey("metadata"))
        {
            errors.Add(FieldError.Forbidden(path + ".properties[metadata]", "must not be specified in a nested context"));
        }
    }

    /// <summary>validateStructuralCompleteness: what value validations name must exist in the structural schema.</summary>
    private static void CheckCompleteness(SchemaNode s, string sPath, string vPath, List<FieldError> errors)
    {
        void Nested(SchemaNode v, SchemaNode? sn, string sp, string vp)
        {
            if (sn is null)
            {
                errors.Add(FieldError.Required(sp, "because it is defined in " + vp));
                return;
            }

            foreach (var sub in v.AllOf.Select((x, i) => (x, p: Idx(vp + ".allOf", i)))
                .Concat(v.AnyOf.Select((x, i) => (x, p: Idx(vp + ".anyOf", i))))
                .Concat(v.OneOf.Select((x, i) => (x, p: Idx(vp + ".oneOf", i)))))
            {
                Nested(sub.x, sn, sp, sub.p);
            }

            if (v.Not is not null)
            {
                Nested(v.Not, sn, sp, vp + ".not");
            }

            if (v.Items is not null)
            {
                Nested(v.Items, sn.Items, sp + ".items", vp + ".items");
            }

            foreach (var (k, vf) in v.Properties)
            {
                if (sn.Properties.TryGetValue(k, out var sf))
                {
                    Nested(vf, sf, sp + ".properties[" + k + "]", vp + ".properties[" + k + "]");
                }
                else
                {
                    errors.Add(FieldError.Required(sp + ".properties[" + k + "]", "because it is defined in " + vp + ".properties[" + k + "]"));
                }
            }
        }

        foreach (var sub in s.AllOf.Select((x, i) => (x, p: Idx(vPath + ".allOf", i)))
            .Concat(s.AnyOf.Select((x, i) => (x, p: Idx(vPath + ".anyOf", i))))
            .Concat(s.OneOf.Select((x, i) => (x, p: Idx(vPath + ".oneOf", i)))))
        {
            Nested(sub.x, s, sPath, sub.p);
        }

        if (s.Not is not null)
        {
            Nested(s.Not, s, sPath, vPath + ".not");
        }
    }

    /// <summary>ValidateDefaults: every default must itself be valid against its schema.</summary>
    private static void CheckDefaults(SchemaNode s, string path, bool insideMeta, List<FieldError> errors)
    {
        if (s.Default is not null && !insideMeta)
        {
            SchemaValidator.Validate(s.Default, s, path + ".default", errors);
        }

        foreach (var (k, p) in s.Properties)
        {
            CheckDefaults(p, path + ".properties[" + k + "]", insideMeta, errors);
        }

        if (s.Items is not null)
        {
            CheckDefaults(s.Items, path + ".items", insideMeta, errors);
        }

        if (s.AdditionalProperties is not null && !s.AdditionalPropertiesIsTrue)
        {
            CheckDefaults(s.AdditionalProperties, path + ".additionalProperties", insideMeta, errors);
        }
    }

    private static string Idx(string path, int i) => path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]";
}
