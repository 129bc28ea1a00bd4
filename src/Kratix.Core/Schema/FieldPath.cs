using System.Globalization;
using System.Text;

namespace Kratix.Schema;

/// <summary>
/// A mutable stack of path segments, pushed and popped while walking a document so that nothing is allocated unless a
/// path has to be printed. Two renderings exist upstream and both are needed:
/// kube-openapi's (<c>spec.labels.key</c>, <c>spec.list[0]</c>) for schema validation and pruning, and
/// <c>field.Path</c>'s (<c>spec.labels[key]</c>) for list-type, metadata and CEL paths.
/// </summary>
internal sealed class FieldPath
{
    private readonly List<Segment> segments = new(16);

    public int Depth => segments.Count;

    public void PushField(string name) => segments.Add(new Segment(SegmentKind.Field, name, 0));

    public void PushKey(string key) => segments.Add(new Segment(SegmentKind.Key, key, 0));

    public void PushIndex(int index) => segments.Add(new Segment(SegmentKind.Index, null, index));

    public void Pop() => segments.RemoveAt(segments.Count - 1);

    public void TruncateTo(int depth)
    {
        if (segments.Count > depth)
        {
            segments.RemoveRange(depth, segments.Count - depth);
        }
    }

    /// <summary>kube-openapi style: fields and map keys joined with dots, indices as [i].</summary>
    public string ToOpenApiString(string? prefix = null)
    {
        var sb = new StringBuilder(prefix);
        foreach (var s in segments)
        {
            if (s.Kind == SegmentKind.Index)
            {
                sb.Append('[').Append(s.Index.ToString(CultureInfo.InvariantCulture)).Append(']');
            }
            else if (s.Kind == SegmentKind.Key)
            {
                // kube-openapi builds map-value paths as path + "." + key, even at the root.
                sb.Append('.').Append(s.Name);
            }
            else
            {
                if (sb.Length > 0)
                {
                    sb.Append('.');
                }

                sb.Append(s.Name);
            }
        }

        return sb.ToString();
    }

    /// <summary>field.Path style: fields joined with dots, map keys and indices in brackets.</summary>
    public string ToFieldPathString(string? prefix = null)
    {
        var sb = new StringBuilder(prefix);
        foreach (var s in segments)
        {
            switch (s.Kind)
            {
                case SegmentKind.Index:
                    sb.Append('[').Append(s.Index.ToString(CultureInfo.InvariantCulture)).Append(']');
                    break;
                case SegmentKind.Key:
                    sb.Append('[').Append(s.Name).Append(']');
                    break;
                default:
                    if (sb.Length > 0)
                    {
                        sb.Append('.');
                    }

                    sb.Append(s.Name);
                    break;
            }
        }

        return sb.ToString();
    }

    private enum SegmentKind
    {
        Field,
        Key,
        Index,
    }

    private readonly record struct Segment(SegmentKind Kind, string? Name, int Index);
}
