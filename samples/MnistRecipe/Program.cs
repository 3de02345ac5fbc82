// Trains an MNIST classifier with the regularised recipe: BatchNorm and Dropout, AdamW with no weight decay on biases
// and norms, a linear warm-up into cosine annealing stepped every batch, and gradient clipping. Half-way it saves a
// TrainingCheckpoint, builds everything afresh (as a new process would), loads the checkpoint and trains to the end,
// showing each batch and epoch of both segments.
// usage: dotnet run --project samples/MnistRecipe -c Release [-- EPOCHS [TRAINING-IMAGES]]
using System.Globalization;
using MnistRecipeSample;
using NeuralNet.Samples.Support;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
int epochs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
int? images = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : null;
string data = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "data", "mnist");
RecipeRun.Run(data, epochs, images, resume: true, Console.Out, TrainingDisplay.ForConsole());
