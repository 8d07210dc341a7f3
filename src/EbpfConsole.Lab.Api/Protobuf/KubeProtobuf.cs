using System.Text.Json.Nodes;
using EbpfConsole.Lab.Api.Protobuf.Tables;

namespace EbpfConsole.Lab.Api.Protobuf;

/// <summary>
/// Reads request bodies in Kubernetes' protobuf encoding (<c>application/vnd.kubernetes.protobuf</c>, what
/// kubectl's typed commands such as <c>kubectl create namespace</c> send) into the same JsonObject the JSON
/// path produces. The body is the magic <c>k8s\0</c> followed by a runtime.Unknown {typeMeta = 1 {apiVersion = 1,
/// kind = 2}, raw = 2, contentEncoding = 3, contentType = 4} whose raw bytes are the object's message; the
/// message is chosen by apiVersion/kind and decoded with a hand-written table of the Kubernetes messages the
/// lab serves. Malformed bytes are a 400; a kind or field the table does not know is a 415 naming it.
/// </summary>
public static class KubeProtobuf
{
    /// <summary>The Content-Type of protobuf bodies.</summary>
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    /// <summary>The four bytes every protobuf body starts with: "k8s" and a zero byte.</summary>
    public static ReadOnlySpan<byte> Magic => "k8s\0"u8;

    /// <summary>The option types that are not resources but arrive as bodies (any group's version v1).</summary>
    private static readonly Dictionary<string, string> OptionKinds = new(StringComparer.Ordinal)
    {
        ["DeleteOptions"] = "v1.DeleteOptions",
    };

    /// <summary>Kinds that are not in <see cref="ResourceCatalog"/> but are sent as bodies of subresources.</summary>
    private static readonly Dictionary<(string ApiVersion, string Kind), string> SubresourceKinds = new()
    {
        [("autoscaling/v1", "Scale")] = "v1.Scale",
        [("policy/v1", "Eviction")] = "v1.Eviction",
    };

    /// <summary>The object in a protobuf body, with apiVersion and kind first as in JSON.</summary>
    /// <exception cref="ApiException">400 for malformed bytes, 415 for kinds, fields or encodings the lab cannot decode.</exception>
    public static JsonObject Decode(ReadOnlySpan<byte> body)
    {
        if (!body.StartsWith(Magic))
        {
            throw ProtoReader.Malformed("the body does not start with the \"k8s\\0\" prefix");
        }

        var (apiVersion, kind) = Envelope(body[Magic.Length..], out var raw);
        var message = MessageFor(apiVersion, kind);
        var decoded = ProtoDecoder.Decode(message, raw);
        var result = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind };
        foreach (var (name, value) in decoded.ToList())
        {
            decoded.Remove(name);
            result[name] = value;
        }

        return result;
    }

    /// <summary>The table's message for an apiVersion/kind; a 415 naming the kind when there is none.</summary>
    internal static ProtoMessage MessageFor(string apiVersion, string kind)
    {
        string? name = null;
        if (ResourceCatalog.FindByKind(apiVersion, kind) is { } resource)
        {
            name = $"v1.{resource.Kind}";
        }
        else if (SubresourceKinds.TryGetValue((apiVersion, kind), out var subresource))
        {
            name = subresource;
        }
        else if (OptionKinds.TryGetValue(kind, out var options) && (apiVersion == "v1" || apiVersion.EndsWith("/v1", StringComparison.Ordinal)))
        {
            name = options;
        }

        return name is not null && ProtoTable.Messages.TryGetValue(name, out var message)
            ? message
            : throw CannotDecode($"protobuf {kind} objects ({apiVersion})");
    }

    /// <summary>The 415 for something the table does not cover, in one line that says what to do instead.</summary>
    internal static ApiException CannotDecode(string what) =>
        new(415, "UnsupportedMediaType", $"the lab's API server cannot decode {what}; use JSON (kubectl apply -f) instead");

    /// <summary>runtime.Unknown: the type and the raw bytes of the object.</summary>
    private static (string ApiVersion, string Kind) Envelope(ReadOnlySpan<byte> data, out ReadOnlySpan<byte> raw)
    {
        var reader = new ProtoReader(data, "runtime.Unknown");
        string apiVersion = string.Empty, kind = string.Empty, encoding = string.Empty, contentType = string.Empty;
        raw = ReadOnlySpan<byte>.Empty;
        while (!reader.End)
        {
            var (number, wire) = reader.ReadTag();
            if (wire != WireType.LengthDelimited || number > 4)
            {
                throw ProtoReader.Malformed($"unexpected field {number} (wire type {(int)wire}) in runtime.Unknown");
            }

            switch (number)
            {
                case 1:
                    (apiVersion, kind) = TypeMeta(reader.ReadLengthDelimited());
                    break;
                case 2:
                    raw = reader.ReadLengthDelimited();
                    break;
                case 3:
                    encoding = reader.ReadString(3);
                    break;
                default:
                    contentType = reader.ReadString(4);
                    break;
            }
        }

        if (encoding.Length > 0)
        {
            throw CannotDecode($"protobuf bodies with content encoding \"{encoding}\"");
        }

        if (contentType.Length > 0 && contentType != MediaType)
        {
            throw CannotDecode($"protobuf envelopes holding \"{contentType}\"");
        }

        if (kind.Length == 0 || apiVersion.Length == 0)
        {
            throw ProtoReader.Malformed("runtime.Unknown has no apiVersion or kind");
        }

        return (apiVersion, kind);
    }

    private static (string ApiVersion, string Kind) TypeMeta(ReadOnlySpan<byte> data)
    {
        var reader = new ProtoReader(data, "runtime.TypeMeta");
        string apiVersion = string.Empty, kind = string.Empty;
        while (!reader.End)
        {
            var (number, wire) = reader.ReadTag();
            if (number is not (1 or 2) || wire != WireType.LengthDelimited)
            {
                throw ProtoReader.Malformed($"unexpected field {number} (wire type {(int)wire}) in runtime.TypeMeta");
            }

            if (number == 1)
            {
                apiVersion = reader.ReadString(1);
            }
            else
            {
                kind = reader.ReadString(2);
            }
        }

        return (apiVersion, kind);
    }
}
