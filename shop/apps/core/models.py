# Karya core keeps no models of its own; the module lets post_migrate reach CoreConfig.
