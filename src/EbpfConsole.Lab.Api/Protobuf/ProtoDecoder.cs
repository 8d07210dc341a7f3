using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EbpfConsole.Lab.Api.Protobuf;

/// <summary>
/// Turns a message's bytes into the JsonObject Go's JSON encoding of the same struct would give: zero values
/// of omitempty fields left out, nested messages always written (as Go writes non-pointer structs), maps as
/// objects, Time as RFC 3339, IntOrString as a number or a string. A field the table does not know is refused
/// by name unless it carries the zero value (Go writes every non-pointer field, so zero values of newer fields
/// are common and mean nothing).
/// </summary>
internal static class ProtoDecoder
{
    public static JsonObject Decode(ProtoMessage message, ReadOnlySpan<byte> data)
    {
        var target = new JsonObject();
        DecodeInto(target, message, data);
        return target;
    }

    /// <summary>Decodes into <paramref name="target"/>; a message repeated on the wire merges into the same object, as protobuf says.</summary>
    private static void DecodeInto(JsonObject target, ProtoMessage message, ReadOnlySpan<byte> data)
    {
        var reader = new ProtoReader(data, message.Name);
        while (!reader.End)
        {
            var (number, wire) = reader.ReadTag();
            if (!message.Fields.TryGetValue(number, out var field))
            {
                if (!reader.SkipAndCheckZero(wire))
                {
                    throw KubeProtobuf.CannotDecode($"protobuf field {number} of {message.Name}");
                }

                continue;
            }

            var expected = field.Kind is ProtoKind.Bool or ProtoKind.Int32 or ProtoKind.Int64 ? WireType.Varint : WireType.LengthDelimited;
            if (wire != expected)
            {
                throw ProtoReader.Malformed($"field {number} ({field.JsonName}) of {message.Name} has wire type {(int)wire}, expected {(int)expected}");
            }

            Read(ref reader, target, message, field);
        }
    }

    private static void Read(ref ProtoReader reader, JsonObject target, ProtoMessage message, ProtoField field)
    {
        switch (field.Kind)
        {
            case ProtoKind.MapOfStrings or ProtoKind.MapOfBytes or ProtoKind.MapOfQuantities:
                var (key, value) = MapEntry(reader.ReadLengthDelimited(), field, message);
                ChildObject(target, field.JsonName)[key] = value;
                return;
            case ProtoKind.Message when field.Inline:
                DecodeInto(target, field.Message!, reader.ReadLengthDelimited());
                return;
            case ProtoKind.Message when !field.Repeated:
                DecodeInto(ChildObject(target, field.JsonName), field.Message!, reader.ReadLengthDelimited());
                return;
        }

        var (node, isZero) = Scalar(ref reader, field, message);
        if (field.Repeated)
        {
            ChildArray(target, field.JsonName).Add(node);
        }
        else if (isZero && !field.KeepZero)
        {
            target.Remove(field.JsonName);
        }
        else
        {
            target[field.JsonName] = node;
        }
    }

    /// <summary>One value and whether it is its type's zero value (which omitempty leaves out).</summary>
    private static (JsonNode? Node, bool IsZero) Scalar(ref ProtoReader reader, ProtoField field, ProtoMessage message)
    {
        switch (field.Kind)
        {
            case ProtoKind.String:
                var text = reader.ReadString(field.Number);
                return (JsonValue.Create(text), text.Length == 0);
            case ProtoKind.Bytes:
                var bytes = reader.ReadLengthDelimited();
                return (JsonValue.Create(Convert.ToBase64String(bytes)), bytes.IsEmpty);
            case ProtoKind.Bool:
                var flag = reader.ReadVarint() != 0;
                return (JsonValue.Create(flag), !flag);
            case ProtoKind.Int32:
                var int32 = unchecked((int)reader.ReadVarint());
                return (JsonValue.Create(int32), int32 == 0);
            case ProtoKind.Int64:
                var int64 = unchecked((long)reader.ReadVarint());
                return (JsonValue.Create(int64), int64 == 0);
            case ProtoKind.Message:
                return (Decode(field.Message!, reader.ReadLengthDelimited()), false);
            case ProtoKind.IntOrString:
                return IntOrString(reader.ReadLengthDelimited());
            case ProtoKind.Quantity:
                var quantity = Quantity(reader.ReadLengthDelimited());
                return (JsonValue.Create(quantity.Length == 0 ? "0" : quantity), quantity.Length == 0);
            case ProtoKind.Time:
                var time = Time(reader.ReadLengthDelimited());
                return (time is null ? null : JsonValue.Create(time), time is null);
            case ProtoKind.RawJson:
                return RawJson(reader.ReadLengthDelimited(), field, message);
            default:
                throw new InvalidOperationException($"protobuf kind {field.Kind} read as a scalar");
        }
    }

    private static (string Key, JsonNode? Value) MapEntry(ReadOnlySpan<byte> entry, ProtoField field, ProtoMessage message)
    {
        var name = $"{message.Name}.{field.JsonName} entry";
        var reader = new ProtoReader(entry, name);
        var key = string.Empty;
        JsonNode? value = field.Kind == ProtoKind.MapOfQuantities ? JsonValue.Create("0") : JsonValue.Create(string.Empty);
        while (!reader.End)
        {
            var (number, wire) = reader.ReadTag();
            if (number is not (1 or 2) || wire != WireType.LengthDelimited)
            {
                if (!reader.SkipAndCheckZero(wire))
                {
                    throw KubeProtobuf.CannotDecode($"protobuf field {number} of {name}");
                }

                continue;
            }

            if (number == 1)
            {
                key = reader.ReadString(1);
                continue;
            }

            value = field.Kind switch
            {
                ProtoKind.MapOfStrings => JsonValue.Create(reader.ReadString(2)),
                ProtoKind.MapOfBytes => JsonValue.Create(Convert.ToBase64String(reader.ReadLengthDelimited())),
                _ => JsonValue.Create(Quantity(reader.ReadLengthDelimited()) is { Length: > 0 } q ? q : "0"),
            };
        }

        return (key, value);
    }

    /// <summary>intstr.IntOrString {type = 1, intVal = 2, strVal = 3}.</summary>
    private static (JsonNode? Node, bool IsZero) IntOrString(ReadOnlySpan<byte> data)
    {
        var reader = new ProtoReader(data, "intstr.IntOrString");
        ulong type = 0;
        var intValue = 0;
        var stringValue = string.Empty;
        while (!reader.End)
        {
            var (number, wire) = reader.ReadTag();
            switch (number, wire)
            {
                case (1, WireType.Varint):
                    type = reader.ReadVarint();
                    break;
                case (2, WireType.Varint):
                    intValue = unchecked((int)reader.ReadVarint());
                    break;
                case (3, WireType.LengthDelimited):
                    stringValue = reader.ReadString(3);
                    break;
                default:
                    if (!reader.SkipAndCheckZero(wire))
                    {
                        throw KubeProtobuf.CannotDecode($"protobuf field {number} of intstr.IntOrString");
                    }

                    break;
            }
        }

        return type switch
        {
            0 => (JsonValue.Create(intValue), intValue == 0),
            1 => (JsonValue.Create(stringValue), false),
            _ => throw ProtoReader.Malformed($"intstr.IntOrString has type {type} (0 = int, 1 = string)"),
        };
    }

    /// <summary>resource.Quantity {string = 1}.</summary>
    private static string Quantity(ReadOnlySpan<byte> data)
    {
        var reader = new ProtoReader(data, "resource.Quantity");
        var text = string.Empty;
        while (!reader.End)
        {
            var (number, wire) = reader.ReadTag();
            if (number == 1 && wire == WireType.LengthDelimited)
            {
                text = reader.ReadString(1);
            }
            else if (!reader.SkipAndCheckZero(wire))
            {
                throw KubeProtobuf.CannotDecode($"protobuf field {number} of resource.Quantity");
            }
        }

        return text;
    }

    /// <summary>metav1.Time {seconds = 1, nanos = 2}; null for the zero time (an empty message). Like the real server, nanos are dropped.</summary>
    private static string? Time(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return null;
        }

        var reader = new ProtoReader(data, "v1.Time");
        long seconds = 0;
        while (!reader.End)
        {
            var (number, wire) = reader.ReadTag();
            if (number is 1 or 2 && wire == WireType.Varint)
            {
                var value = reader.ReadVarint();
                seconds = number == 1 ? unchecked((long)value) : seconds;
            }
            else if (!reader.SkipAndCheckZero(wire))
            {
                throw KubeProtobuf.CannotDecode($"protobuf field {number} of v1.Time");
            }
        }

        if (seconds < DateTimeOffset.MinValue.ToUnixTimeSeconds() || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            throw ProtoReader.Malformed($"v1.Time of {seconds} seconds is out of range");
        }

        return DateTimeOffset.FromUnixTimeSeconds(seconds).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>runtime.RawExtension / metav1.FieldsV1 {raw = 1}: the embedded document, which clients write as JSON.</summary>
    private static (JsonNode? Node, bool IsZero) RawJson(ReadOnlySpan<byte> data, ProtoField field, ProtoMessage message)
    {
        var reader = new ProtoReader(data, $"{message.Name}.{field.JsonName}");
        var raw = ReadOnlySpan<byte>.Empty;
        while (!reader.End)
        {
            var (number, wire) = reader.ReadTag();
            if (number == 1 && wire == WireType.LengthDelimited)
            {
                raw = reader.ReadLengthDelimited();
            }
            else if (!reader.SkipAndCheckZero(wire))
            {
                throw KubeProtobuf.CannotDecode($"protobuf field {number} of {message.Name}.{field.JsonName}");
            }
        }

        if (raw.IsEmpty)
        {
            return (null, true);
        }

        try
        {
            return (JsonNode.Parse(raw), false);
        }
        catch (JsonException)
        {
            throw KubeProtobuf.CannotDecode($"the embedded object in field {field.Number} ({field.JsonName}) of {message.Name}, which is not JSON,");
        }
    }

    private static JsonObject ChildObject(JsonObject target, string name)
    {
        if (target[name] is JsonObject existing)
        {
            return existing;
        }

        var created = new JsonObject();
        target[name] = created;
        return created;
    }

    private static JsonArray ChildArray(JsonObject target, string name)
    {
        if (target[name] is JsonArray existing)
        {
            return existing;
        }

        var created = new JsonArray();
        target[name] = created;
        return created;
    }
}
