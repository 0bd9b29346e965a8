using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace ImageClassifier.Tests.InferenceProtocol;

/// <summary>Inference request bodies written by hand, as a client in another language would write them.</summary>
public static class InferBodies
{
    public static StringContent Json(string json) => new(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    public static StringContent Tensor(string name, long[] shape, string datatype, string data, string extra = "") =>
        Json($$"""{{{extra}}"inputs":[{"name":"{{name}}","shape":[{{string.Join(',', shape)}}],"datatype":"{{datatype}}","data":{{data}}}]}""");

    /// <summary>Values flat, row-major, printed so they read back as the same float32.</summary>
    public static string Flat(IEnumerable<float> values) =>
        "[" + string.Join(',', values.Select(value => value.ToString("R", CultureInfo.InvariantCulture))) + "]";

    /// <summary>The same values nested by <paramref name="shape"/>, as numpy's tolist() gives them.</summary>
    public static string Nested(float[] values, long[] shape)
    {
        var json = new StringBuilder();
        var offset = 0;
        Write(0);
        return json.ToString();

        void Write(int dimension)
        {
            json.Append('[');
            for (var index = 0; index < shape[dimension]; index++)
            {
                if (index > 0)
                {
                    json.Append(',');
                }

                if (dimension == shape.Length - 1)
                {
                    json.Append(values[offset++].ToString("R", CultureInfo.InvariantCulture));
                }
                else
                {
                    Write(dimension + 1);
                }
            }

            json.Append(']');
        }
    }

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
}
